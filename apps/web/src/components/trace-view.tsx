import { CircleCheck, CircleMinus, CircleX, Info } from 'lucide-react';
import { Badge } from '~/components/ui/badge';
import { cn } from '~/lib/utils';

/** One decision trace entry (TraceEntry of @sts/core). */
export interface TraceViewEntry {
  step: string;
  check: string;
  outcome: 'pass' | 'fail' | 'skip' | 'info';
  message: string;
}

const OUTCOME = {
  pass: { Icon: CircleCheck, label: 'passed', className: 'text-emerald-600' },
  fail: { Icon: CircleX, label: 'failed', className: 'text-red-600' },
  skip: { Icon: CircleMinus, label: 'skipped', className: 'text-muted-foreground' },
  info: { Icon: Info, label: 'note', className: 'text-blue-600' },
} as const;

const STEP_LABELS: Record<string, string> = {
  simulation: 'Simulation',
  client: 'Client',
  request: 'Request',
  subject_token: 'Subject token',
  actor_token: 'Actor token',
  policy: 'Decision',
  issue: 'Issued token',
  server: 'Server',
};

interface Group {
  step: string;
  /** Each entry with its place in the whole trace (a stable key). */
  entries: (TraceViewEntry & { n: number })[];
}

/** Consecutive entries of the same step, in order. */
function groups(trace: readonly TraceViewEntry[]): Group[] {
  const out: Group[] = [];
  trace.forEach((entry, n) => {
    const last = out[out.length - 1];
    if (last && last.step === entry.step) last.entries.push({ ...entry, n });
    else out.push({ step: entry.step, entries: [{ ...entry, n }] });
  });
  return out;
}

/**
 * The decision trace, step by step: each step's checks with pass/fail/skip/note icons and
 * messages, failing checks highlighted, and for each rule whether it matched, failed (at which
 * check) or was skipped. Messages are rendered as text.
 */
export function TraceView({
  trace,
  matchedRuleId,
  draftRuleId,
}: {
  trace: readonly TraceViewEntry[];
  /** The rule that granted, if any. */
  matchedRuleId?: string;
  /** The unsaved draft rule, if the run used one. */
  draftRuleId?: string;
}) {
  if (trace.length === 0)
    return <p className="text-sm text-muted-foreground">The trace is empty.</p>;
  return (
    <ol aria-label="Decision trace" className="grid grid-cols-1 gap-3">
      {groups(trace).map((group) => (
        <TraceGroup
          key={group.entries[0]?.n}
          group={group}
          matchedRuleId={matchedRuleId}
          draftRuleId={draftRuleId}
        />
      ))}
    </ol>
  );
}

function TraceGroup({
  group,
  matchedRuleId,
  draftRuleId,
}: {
  group: Group;
  matchedRuleId?: string;
  draftRuleId?: string;
}) {
  const ruleId = group.step.startsWith('rule:') ? group.step.slice('rule:'.length) : undefined;
  const failed = group.entries.find((e) => e.outcome === 'fail');
  const label = ruleId !== undefined ? `Rule ${ruleId}` : (STEP_LABELS[group.step] ?? group.step);
  return (
    <li
      className={cn(
        'rounded-md border',
        ruleId !== undefined && ruleId === matchedRuleId && 'border-success-border',
        failed && 'border-danger-border',
      )}
      data-testid="trace-step"
    >
      <div className="flex flex-wrap items-center gap-2 border-b bg-muted/40 px-3 py-2">
        <span className={cn('text-sm font-medium', ruleId !== undefined && 'font-mono')}>
          {label}
        </span>
        {ruleId !== undefined && ruleId === draftRuleId ? (
          <Badge variant="warning">unsaved draft</Badge>
        ) : null}
        {ruleId !== undefined ? (
          <RuleBadge group={group} matched={ruleId === matchedRuleId} />
        ) : null}
      </div>
      <ul className="grid">
        {group.entries.map((entry) => {
          const { Icon, label: outcomeLabel, className } = OUTCOME[entry.outcome];
          return (
            <li
              key={entry.n}
              className={cn(
                'flex items-start gap-2 px-3 py-1.5 text-sm',
                entry.outcome === 'fail' && 'bg-danger-soft text-danger',
              )}
            >
              <Icon className={cn('mt-0.5 size-4 shrink-0', className)} aria-label={outcomeLabel} />
              <span className="shrink-0 font-mono text-xs leading-5 text-muted-foreground">
                {entry.check}
              </span>
              <span className="min-w-0 [overflow-wrap:anywhere]">{entry.message}</span>
            </li>
          );
        })}
      </ul>
    </li>
  );
}

function RuleBadge({ group, matched }: { group: Group; matched: boolean }) {
  if (matched) return <Badge variant="success">matched</Badge>;
  const failed = group.entries.find((e) => e.outcome === 'fail');
  if (failed) return <Badge variant="danger">failed at {failed.check}</Badge>;
  if (group.entries.every((e) => e.outcome === 'skip'))
    return <Badge variant="secondary">skipped</Badge>;
  return null;
}
