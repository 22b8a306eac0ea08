'use client';

import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import Link from 'next/link';
import { useWatch } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ErrorState, Loading } from '~/components/ui/states';
import { useDebounced } from '~/lib/form-helpers';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { type TRuleInput, ZRuleDraftSchema } from '~/server/trpc/routers/rule/rule.schema';
import { clearRuleDraft } from './rule-draft';
import { RuleFindings } from './rule-findings';
import { useRuleForm } from './use-rule-form';

/**
 * "In plain words": the server's summary and findings of the draft, following the form as it is
 * typed, and the editor's buttons (save, simulate, cancel).
 */
export function RuleSummaryPanel({
  tenantId,
  ruleId,
  canWrite,
  saving,
  onSimulate,
}: {
  tenantId: string;
  ruleId?: string;
  canWrite: boolean;
  saving: boolean;
  onSimulate: () => void;
}) {
  const trpc = useTRPC();
  const { control } = useRuleForm();
  const values = useWatch({ control }) as TRuleInput;
  const draft = ZRuleDraftSchema.safeParse(useDebounced(values, 300));
  const preview = useQuery({
    ...trpc.rule.preview.queryOptions(
      draft.success ? { tenantId, draft: draft.data, replaces: ruleId } : skipToken,
    ),
    placeholderData: keepPreviousData,
  });

  return (
    <Card className="lg:sticky lg:top-4">
      <CardHeader>
        <CardTitle>In plain words</CardTitle>
        <CardDescription>Follows the form as you type.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div aria-live="polite" className="grid gap-2" data-testid="rule-summary">
          {preview.data ? (
            <>
              <p className="text-sm font-medium">{preview.data.headline}</p>
              <ul className="grid list-disc gap-1 pl-5 text-sm text-muted-foreground">
                {preview.data.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
              <RuleFindings findings={preview.data.findings} />
            </>
          ) : preview.isError ? (
            <ErrorState message={errorMessage(preview.error)} />
          ) : (
            <Loading label="Summarising…" />
          )}
        </div>
        {!canWrite ? (
          <p className="text-xs text-muted-foreground">
            Your role may read rules and simulate drafts, not save them.
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {canWrite ? (
            <Button type="submit" disabled={saving}>
              {saving ? 'Saving…' : ruleId ? 'Save changes' : 'Create rule'}
            </Button>
          ) : null}
          <Button type="button" variant="outline" onClick={onSimulate}>
            <FlaskConical aria-hidden /> Simulate this draft
          </Button>
          <Button type="button" variant="ghost" asChild>
            <Link href={`/tenants/${tenantId}/rules`} onClick={() => clearRuleDraft(tenantId)}>
              Cancel
            </Link>
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}
