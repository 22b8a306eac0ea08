'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import { type TRule, type TRuleInput, ZRuleSchema } from '~/server/trpc/routers/rule/rule.schema';
import { clearRuleDraft, loadRuleDraft, saveRuleDraft } from './rule-draft';
import { RuleHowCard } from './rule-how-card';
import { RuleIdentityCard } from './rule-identity-card';
import { RuleIssuedTokenCard } from './rule-issued-token-card';
import { RuleScopeCard } from './rule-scope-card';
import { RuleSummaryPanel } from './rule-summary-panel';
import { RuleTargetsCard } from './rule-targets-card';
import { RuleWhoCard } from './rule-who-card';

/**
 * The rule form: its sections (one card each) beside the live summary. Saves the rule, or takes
 * the draft to the simulator and restores it when the editor opens again.
 */
export function RuleForm({
  tenantId,
  ruleId,
  initial,
  clientIds,
  trustedIssuers,
  canWrite,
}: {
  tenantId: string;
  ruleId?: string;
  initial: TRuleInput;
  clientIds: string[];
  trustedIssuers: string[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useForm<TRuleInput, unknown, TRule>({
    resolver: zodResolver(ZRuleSchema),
    defaultValues: initial,
    mode: 'onChange',
  });

  // A draft carried to the simulator comes back when the editor opens again.
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    const stored = loadRuleDraft(tenantId);
    if (stored && stored.replaces === (ruleId ?? null)) {
      form.reset(stored.values);
      setRestored(true);
    }
  }, [tenantId, ruleId, form]);

  const onSaved = async () => {
    clearRuleDraft(tenantId);
    await queryClient.invalidateQueries({ queryKey: trpc.rule.list.queryKey() });
    router.push(`/tenants/${tenantId}/rules`);
  };
  const create = useMutation(trpc.rule.create.mutationOptions({ onSuccess: onSaved }));
  const update = useMutation(trpc.rule.update.mutationOptions({ onSuccess: onSaved }));
  // A taken id or a refused field shows next to its field; other errors above the form.
  const saveError = useServerErrors(form, ruleId ? update : create);

  const save = form.handleSubmit((rule) => {
    const clean = { ...rule, description: rule.description?.trim() || undefined };
    if (ruleId) update.mutate({ tenantId, ruleId, ...clean });
    else create.mutate({ tenantId, ...clean });
  });
  const simulate = form.handleSubmit((rule) => {
    saveRuleDraft(tenantId, { replaces: ruleId ?? null, values: rule, savedAt: Date.now() });
    router.push(`/tenants/${tenantId}/simulator?draft=1`);
  });

  return (
    <FormProvider {...form}>
      <form
        onSubmit={save}
        noValidate
        className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_360px]"
      >
        <div className="grid gap-4">
          {restored ? (
            <div
              role="status"
              className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-warning-border bg-warning-soft p-3 text-sm text-warning"
            >
              Restored the unsaved draft you took to the simulator.
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() => {
                  clearRuleDraft(tenantId);
                  form.reset(initial);
                  setRestored(false);
                }}
              >
                Discard the draft
              </Button>
            </div>
          ) : null}
          {saveError ? <ErrorState message={saveError} /> : null}
          <RuleIdentityCard ruleId={ruleId} />
          <RuleWhoCard clientIds={clientIds} trustedIssuers={trustedIssuers} />
          <RuleHowCard trustedIssuers={trustedIssuers} />
          <RuleTargetsCard />
          <RuleScopeCard />
          <RuleIssuedTokenCard />
        </div>
        <RuleSummaryPanel
          tenantId={tenantId}
          ruleId={ruleId}
          canWrite={canWrite}
          saving={create.isPending || update.isPending}
          onSimulate={simulate}
        />
      </form>
    </FormProvider>
  );
}
