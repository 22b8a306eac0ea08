'use client';

import type { ClientRecord } from '@sts/console';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ListNoMatches } from '~/components/list/list-no-matches';
import { ListPagination } from '~/components/list/list-pagination';
import { ListSearch } from '~/components/list/list-search';
import { SortableHead } from '~/components/list/sortable-head';
import { type ListViewOptions, useListView } from '~/components/list/use-list-view';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui/table';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { readOnlyNote } from '../read-only-note';
import { ClientActionsMenu } from './client-actions-menu';
import { clientPath } from './client-path';
import { ClientSecretDialog, type ShownSecret } from './client-secret-dialog';
import { CreateClientDialog } from './create-client-dialog';

const LIST: ListViewOptions<ClientRecord, 'client' | 'auth' | 'status' | 'exchange'> = {
  searchText: (c) => [c.clientId, c.displayName, c.authMethod, c.jwksUri],
  sortBy: {
    client: (c) => c.clientId,
    auth: (c) => c.authMethod,
    status: (c) => (c.disabled ? 'disabled' : 'enabled'),
    exchange: (c) => !c.allowTokenExchange,
  },
  initialSort: { column: 'client', direction: 'ascending' },
};

export function ClientsView({
  tenantId,
  canWrite,
  fileManaged = false,
}: {
  tenantId: string;
  canWrite: boolean;
  /** Read-only because the configuration file manages the tenant (not the role). */
  fileManaged?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const clients = useQuery(trpc.client.list.queryOptions({ tenantId }));
  const view = useListView(clients.data, LIST);
  /** A secret the server just generated: held only while its dialog is open. */
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.client.list.queryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.client.get.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
    ]);
  };

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Clients</CardTitle>
          <CardDescription>
            Applications that call the token endpoint.
            {canWrite ? null : readOnlyNote(fileManaged)}
          </CardDescription>
        </div>
        {canWrite ? (
          <CreateClientDialog
            tenantId={tenantId}
            onCreated={async (created) => {
              if (created.secret) setSecret({ ...created, secret: created.secret });
              await refresh();
            }}
          />
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        {actionError ? <ErrorState message={actionError} /> : null}
        {clients.isPending ? <Loading /> : null}
        {clients.isError ? <ErrorState message={errorMessage(clients.error)} /> : null}
        {clients.data?.length === 0 ? (
          <Empty title="No clients yet">
            {canWrite
              ? 'Create one to let an application exchange tokens.'
              : 'An admin of this tenant can create them.'}
          </Empty>
        ) : null}
        {clients.data && clients.data.length > 0 ? (
          <>
            <ListSearch
              view={view}
              label="Search clients"
              placeholder="Search by id, name or method"
            />
            <ListNoMatches view={view} noun="clients" />
            {view.matching > 0 ? (
              <Table>
                <TableHeader>
                  <TableRow>
                    <SortableHead view={view} column="client">
                      Client
                    </SortableHead>
                    <SortableHead view={view} column="auth" className="hidden sm:table-cell">
                      Authentication
                    </SortableHead>
                    <SortableHead view={view} column="status">
                      Status
                    </SortableHead>
                    <SortableHead view={view} column="exchange" className="hidden md:table-cell">
                      Token exchange
                    </SortableHead>
                    {canWrite ? (
                      <TableHead className="w-px text-right">
                        <span className="sr-only">Actions</span>
                      </TableHead>
                    ) : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.items.map((c) => (
                    <TableRow key={c.clientId} data-testid="client-row">
                      <TableCell>
                        <Link
                          href={clientPath(tenantId, c.clientId)}
                          className="block break-all font-mono text-sm text-primary hover:underline"
                        >
                          {c.clientId}
                        </Link>
                        {c.displayName ? (
                          <div className="break-words text-xs text-muted-foreground">
                            {c.displayName}
                          </div>
                        ) : null}
                      </TableCell>
                      <TableCell className="hidden sm:table-cell">
                        <div className="font-mono text-xs">{c.authMethod}</div>
                        {c.authMethod === 'private_key_jwt' ? (
                          <div className="break-all text-xs text-muted-foreground">
                            {c.jwksUri ?? `${c.jwks?.keys.length ?? 0} inline key(s)`}
                          </div>
                        ) : null}
                      </TableCell>
                      <TableCell>
                        {c.disabled ? (
                          <Badge variant="danger">disabled</Badge>
                        ) : (
                          <Badge variant="success">enabled</Badge>
                        )}
                      </TableCell>
                      <TableCell className="hidden md:table-cell">
                        {c.allowTokenExchange ? (
                          <Badge variant="secondary">allowed</Badge>
                        ) : (
                          <Badge variant="outline">not allowed</Badge>
                        )}
                      </TableCell>
                      {canWrite ? (
                        <TableCell className="text-right">
                          <ClientActionsMenu
                            tenantId={tenantId}
                            client={c}
                            onChanged={refresh}
                            onSecret={setSecret}
                            onError={setActionError}
                          />
                        </TableCell>
                      ) : null}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            <ListPagination view={view} noun="clients" />
          </>
        ) : null}
      </CardContent>
      <ClientSecretDialog tenantId={tenantId} shown={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
