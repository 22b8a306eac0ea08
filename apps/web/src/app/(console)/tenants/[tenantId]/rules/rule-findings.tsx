import { CircleX, Info, TriangleAlert } from 'lucide-react';
import { Badge } from '~/components/ui/badge';

export interface Finding {
  ruleId: string;
  kind: 'unreachable' | 'conflict' | 'overlap';
  message: string;
  otherRuleId?: string;
}

const KIND = {
  unreachable: { Icon: CircleX, variant: 'danger', label: 'Unreachable' },
  conflict: { Icon: TriangleAlert, variant: 'warning', label: 'Conflict' },
  overlap: { Icon: Info, variant: 'secondary', label: 'Overlap' },
} as const;

/** The analysis findings about a rule (core's analyzeRules), as a list of warnings. */
export function RuleFindings({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul className="grid gap-1" aria-label="Analysis warnings">
      {findings.map((f) => {
        const { Icon, variant, label } = KIND[f.kind];
        return (
          <li
            key={`${f.kind}-${f.otherRuleId ?? 'self'}`}
            className="flex items-start gap-2 text-sm"
          >
            <Icon
              className={
                f.kind === 'unreachable'
                  ? 'mt-0.5 size-4 shrink-0 text-red-600'
                  : f.kind === 'conflict'
                    ? 'mt-0.5 size-4 shrink-0 text-amber-600'
                    : 'mt-0.5 size-4 shrink-0 text-muted-foreground'
              }
              aria-hidden
            />
            <span>
              <Badge variant={variant} className="mr-1.5">
                {label}
              </Badge>
              {f.message}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
