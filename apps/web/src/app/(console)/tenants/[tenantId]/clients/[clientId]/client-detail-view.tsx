'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Badge } from '~/components/ui/badge';
import { Card, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { ClientActionsMenu } from '../client-actions-menu';
import { ClientSecretDialog, type ShownSecret } from '../client-secret-dialog';
import { ClientExchanges } from './client-exchanges';
import { ClientFacts } from './client-facts';
import { ClientRules } from './client-rules';

/** One client: its settings, where rules admit it, its latest attempts, and its actions. */
export function ClientDetailView({
  tenantId,
  clientId,
  canWrite,
}: {
  tenantId: string;
  clientId: string;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const detail = useQuery(trpc.client.get.queryOptions({ tenantId, clientId }));
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const listPath = `/tenants/${encodeURIComponent(tenantId)}/clients`;

  const refreshList = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.client.list.queryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
    ]);
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({
        queryKey: trpc.client.get.queryKey({ tenantId, clientId }),
      }),
      refreshList(),
    ]);
  };

  const back = (
    <Link href={listPath} className="flex items-center gap-1 text-sm text-primary hover:underline">
      <ArrowLeft className="size-4" aria-hidden /> All clients
    </Link>
  );
  if (detail.isPending)
    return (
      <div className="grid gap-4">
        {back}
        <Loading label="Loading the client…" />
      </div>
    );
  if (detail.isError) {
    const missing =
      detail.error instanceof TRPCClientError && detail.error.data?.code === 'NOT_FOUND';
    return (
      <div className="grid gap-4">
        {back}
        {missing ? (
          <Empty title="No such client">
            This tenant has no client <span className="break-all font-mono">{clientId}</span>. It
            may have been deleted, or the link has a typo.
          </Empty>
        ) : (
          <ErrorState message={errorMessage(detail.error)} />
        )}
      </div>
    );
  }

  const { client, lastUsedAt, rules, recentExchanges } = detail.data;
  return (
    <div className="grid gap-4">
      {back}
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid min-w-0 gap-1">
            <CardTitle className="flex flex-wrap items-center gap-2">
              <span className="break-all font-mono">{client.clientId}</span>
              {client.disabled ? (
                <Badge variant="danger">disabled</Badge>
              ) : (
                <Badge variant="success">enabled</Badge>
              )}
            </CardTitle>
            <CardDescription className="break-words">
              {client.displayName ?? 'No display name'}
            </CardDescription>
          </div>
          {canWrite ? (
            <ClientActionsMenu
              tenantId={tenantId}
              client={client}
              onChanged={refresh}
              onSecret={setSecret}
              onError={setActionError}
              onDeleted={() => {
                void refreshList();
                router.push(listPath);
              }}
              showLabel
            />
          ) : null}
        </CardHeader>
      </Card>
      {actionError ? <ErrorState message={actionError} /> : null}
      <ClientFacts client={client} lastUsedAt={lastUsedAt} />
      <ClientRules tenantId={tenantId} clientId={client.clientId} rules={rules} />
      <ClientExchanges tenantId={tenantId} clientId={client.clientId} events={recentExchanges} />
      <ClientSecretDialog tenantId={tenantId} shown={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
