'use client';

import type { GeneratedSecret } from '@sts/console';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
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
import { AuthMethodDialog } from './auth-method-dialog';
import { ClientSecretDialog, type ShownSecret } from './client-secret-dialog';
import { CreateClientDialog } from './create-client-dialog';
import { EditClientDialog } from './edit-client-dialog';

export function ClientsView({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const clients = useQuery(trpc.client.list.queryOptions({ tenantId }));
  /** A secret the server just generated: held only while its dialog is open. */
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.client.list.queryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
    ]);
  };
  const showSecret = async (result: GeneratedSecret) => {
    if (result.secret) setSecret({ ...result, secret: result.secret });
    await refresh();
  };
  const onError = (err: unknown) => setActionError(errorMessage(err));
  // The response holds the new secret: keep it in no cache once it is handed over.
  const rotate = useMutation(
    trpc.client.rotateSecret.mutationOptions({
      gcTime: 0,
      onSuccess: async (result) => {
        await showSecret(result);
        rotate.reset();
      },
    }),
  );
  const remove = useMutation(trpc.client.delete.mutationOptions({ onSuccess: refresh }));
  const setEnabled = useMutation(
    trpc.client.setEnabled.mutationOptions({ onSuccess: refresh, onError }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Clients</CardTitle>
          <CardDescription>
            Applications that call the token endpoint.
            {canWrite ? null : ' Read-only: your role cannot change this tenant.'}
          </CardDescription>
        </div>
        {canWrite ? <CreateClientDialog tenantId={tenantId} onCreated={showSecret} /> : null}
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
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Client</TableHead>
                <TableHead>Authentication</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Token exchange</TableHead>
                {canWrite ? <TableHead className="text-right">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {clients.data.map((c) => (
                <TableRow key={c.clientId} data-testid="client-row">
                  <TableCell>
                    <div className="font-mono text-sm">{c.clientId}</div>
                    {c.displayName ? (
                      <div className="text-xs text-muted-foreground">{c.displayName}</div>
                    ) : null}
                  </TableCell>
                  <TableCell>
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
                  <TableCell>
                    {c.allowTokenExchange ? (
                      <Badge variant="secondary">allowed</Badge>
                    ) : (
                      <Badge variant="outline">not allowed</Badge>
                    )}
                  </TableCell>
                  {canWrite ? (
                    <TableCell>
                      <div className="flex flex-wrap justify-end gap-1">
                        <EditClientDialog tenantId={tenantId} client={c} onSaved={refresh} />
                        <AuthMethodDialog tenantId={tenantId} client={c} onSaved={showSecret} />
                        {c.authMethod !== 'private_key_jwt' ? (
                          <ConfirmDialog
                            trigger={
                              <Button variant="outline" size="sm">
                                Rotate secret
                              </Button>
                            }
                            title={`Rotate the secret of ${c.clientId}?`}
                            description="A new secret is generated and shown once. The current one stops working within seconds."
                            confirmLabel="Rotate secret"
                            onConfirm={() => rotate.mutateAsync({ tenantId, clientId: c.clientId })}
                          />
                        ) : null}
                        <Button
                          variant="outline"
                          size="sm"
                          disabled={setEnabled.isPending}
                          onClick={() => {
                            setActionError(null);
                            setEnabled.mutate({
                              tenantId,
                              clientId: c.clientId,
                              enabled: c.disabled,
                            });
                          }}
                        >
                          {c.disabled ? 'Enable' : 'Disable'}
                        </Button>
                        <ConfirmDialog
                          trigger={
                            <Button variant="destructive" size="sm">
                              Delete
                            </Button>
                          }
                          title={`Delete client ${c.clientId}?`}
                          description="It can no longer authenticate. This cannot be undone."
                          confirmLabel="Delete client"
                          destructive
                          onConfirm={() => remove.mutateAsync({ tenantId, clientId: c.clientId })}
                        />
                      </div>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
      <ClientSecretDialog tenantId={tenantId} shown={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
