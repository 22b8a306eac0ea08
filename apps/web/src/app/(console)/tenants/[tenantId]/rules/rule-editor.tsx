'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { NEW_RULE } from './rule-draft';
import { RuleForm } from './rule-form';

/** The editor of one rule (`ruleId`) or of a new one: loads the rules, then the form. */
export function RuleEditor({
  tenantId,
  ruleId,
  canWrite,
}: {
  tenantId: string;
  ruleId?: string;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.rule.list.queryOptions({ tenantId }));
  if (list.isPending) return <Loading label="Loading the rules…" />;
  if (list.isError) return <ErrorState message={errorMessage(list.error)} />;
  const existing = ruleId ? list.data.rules.find((r) => r.rule.id === ruleId) : undefined;
  if (ruleId && !existing)
    return (
      <Empty title={`No rule "${ruleId}"`}>
        It may have been renamed or deleted.{' '}
        <Link className="text-primary underline" href={`/tenants/${tenantId}/rules`}>
          Back to the rules
        </Link>
      </Empty>
    );
  return (
    <div className="grid gap-4">
      <RuleForm
        key={ruleId ?? 'new'}
        tenantId={tenantId}
        ruleId={ruleId}
        initial={existing ? existing.rule : NEW_RULE}
        clientIds={list.data.clientIds}
        trustedIssuers={list.data.trustedIssuers}
        canWrite={canWrite}
      />
    </div>
  );
}
