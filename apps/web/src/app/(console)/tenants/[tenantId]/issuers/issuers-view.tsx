'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '~/components/confirm-dialog';
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
import { IssuerFormDialog } from './issuer-form-dialog';

export function IssuersView({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const issuers = useQuery(trpc.issuer.list.queryOptions({ tenantId }));
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.issuer.list.queryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
    ]);
  };
  const remove = useMutation(trpc.issuer.delete.mutationOptions({ onSuccess: refresh }));

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Trusted issuers</CardTitle>
          <CardDescription>
            Identity providers whose tokens this tenant accepts as subject or actor tokens.
            {canWrite ? null : ' Read-only: your role cannot change this tenant.'}
          </CardDescription>
        </div>
        {canWrite ? (
          <IssuerFormDialog
            tenantId={tenantId}
            onSaved={refresh}
            trigger={<Button>Add issuer</Button>}
          />
        ) : null}
      </CardHeader>
      <CardContent>
        {issuers.isPending ? <Loading /> : null}
        {issuers.isError ? <ErrorState message={errorMessage(issuers.error)} /> : null}
        {issuers.data?.length === 0 ? (
          <Empty title="No trusted issuers yet">
            Without one, only this tenant&apos;s own tokens can be exchanged.
          </Empty>
        ) : null}
        {issuers.data && issuers.data.length > 0 ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Issuer</TableHead>
                <TableHead>Keys</TableHead>
                <TableHead>Algorithms</TableHead>
                <TableHead>Audiences</TableHead>
                {canWrite ? <TableHead className="text-right">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {issuers.data.map((i) => (
                <TableRow key={i.issuer} data-testid="issuer-row">
                  <TableCell className="break-all font-mono text-xs">{i.issuer}</TableCell>
                  <TableCell className="break-all text-xs">
                    {i.jwksUri ? (
                      <span className="font-mono">{i.jwksUri}</span>
                    ) : (
                      `${i.jwks?.keys.length ?? 0} inline key(s): ${
                        i.jwks?.keys.map((k) => k.kid ?? '(no kid)').join(', ') ?? ''
                      }`
                    )}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{i.algorithms.join(', ')}</TableCell>
                  <TableCell className="break-all font-mono text-xs">
                    {i.audiences.length > 0 ? (
                      i.audiences.join(', ')
                    ) : (
                      <span className="font-sans text-muted-foreground">any</span>
                    )}
                  </TableCell>
                  {canWrite ? (
                    <TableCell>
                      <div className="flex justify-end gap-1">
                        <IssuerFormDialog
                          tenantId={tenantId}
                          existing={i}
                          onSaved={refresh}
                          trigger={
                            <Button variant="outline" size="sm">
                              Edit
                            </Button>
                          }
                        />
                        <ConfirmDialog
                          trigger={
                            <Button variant="destructive" size="sm">
                              Delete
                            </Button>
                          }
                          title="Stop trusting this issuer?"
                          description={`Tokens from ${i.issuer} will no longer be accepted. Rules naming it stay but no longer match.`}
                          confirmLabel="Delete issuer"
                          destructive
                          onConfirm={() => remove.mutateAsync({ tenantId, issuer: i.issuer })}
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
    </Card>
  );
}
