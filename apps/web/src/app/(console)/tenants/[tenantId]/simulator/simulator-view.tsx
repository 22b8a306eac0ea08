'use client';

import { useQuery } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { DraftNotice } from './draft-notice';
import { SavedRulesCard } from './saved-rules-card';
import { SimulatorForm } from './simulator-form';
import { TestIssuerCard } from './test-issuer-card';
import { useSimulatorDraft } from './use-simulator-draft';

/**
 * The exchange simulator: pick a client, compose or paste the tokens, name the targets, and see
 * what the STS would decide (core's exchange(), read-only) against the saved rules or the draft
 * carried over from the rule editor (`withDraft`).
 */
export function SimulatorView({
  tenantId,
  canWrite,
  withDraft,
}: {
  tenantId: string;
  canWrite: boolean;
  withDraft: boolean;
}) {
  const trpc = useTRPC();
  const options = useQuery(trpc.simulator.options.queryOptions({ tenantId }));
  const draft = useSimulatorDraft(tenantId, withDraft);

  if (options.isPending) return <Loading label="Loading the tenant…" />;
  if (options.isError) return <ErrorState message={errorMessage(options.error)} />;
  const { clients, composeIssuers, testIssuer, tokenEndpoint, tenantIssuer, rules } = options.data;

  return (
    <div className="grid gap-4">
      <DraftNotice tenantId={tenantId} draft={draft} />
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <FlaskConical className="size-4" aria-hidden /> Exchange simulator
            </CardTitle>
            <CardDescription>
              Runs the STS's own decision code on this tenant's configuration. Nothing is issued,
              signed with the tenant's keys or recorded in the audit log.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {clients.length === 0 ? (
              <Empty title="No clients yet">
                Exchanges are made by a client.{' '}
                <Link className="text-primary underline" href={`/tenants/${tenantId}/clients`}>
                  Add one
                </Link>{' '}
                to simulate.
              </Empty>
            ) : (
              <SimulatorForm
                key={draft.state === 'ready' ? `draft-${draft.rule.id}` : 'saved'}
                tenantId={tenantId}
                clients={clients}
                issuers={composeIssuers}
                tenantIssuer={tenantIssuer}
                draft={draft.state === 'ready' ? draft : undefined}
              />
            )}
          </CardContent>
        </Card>
        <div className="grid gap-4">
          <TestIssuerCard tenantId={tenantId} status={testIssuer} canWrite={canWrite} />
          <SavedRulesCard tokenEndpoint={tokenEndpoint} rules={rules} />
        </div>
      </div>
    </div>
  );
}
