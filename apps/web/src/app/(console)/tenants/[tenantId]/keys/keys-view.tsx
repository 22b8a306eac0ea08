'use client';

import type { SigningKeyStatus } from '@sts/console';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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
import { PublicJwkDialog } from './public-jwk-dialog';
import { RevokeKeyButton } from './revoke-key-button';

const STATUS: Record<
  SigningKeyStatus,
  { variant: 'success' | 'warning' | 'outline'; hint: string }
> = {
  active: { variant: 'success', hint: 'signs new tokens' },
  retiring: { variant: 'warning', hint: 'verifies tokens it signed' },
  retired: { variant: 'outline', hint: 'no longer used' },
  revoked: { variant: 'outline', hint: 'revoked: out of the JWKS, verifies nothing' },
};

/** Dates in UTC, to the second. */
const utc = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—');

export function KeysView({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery({
    ...trpc.key.list.queryOptions({ tenantId }),
    // A tenant created in the console gets its first key when the STS reloads: poll until then.
    refetchInterval: (query) => (query.state.data?.length === 0 ? 2_000 : false),
  });
  const rotate = useMutation(
    trpc.key.rotate.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.key.list.queryKey({ tenantId }) }),
    }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Signing keys</CardTitle>
          <CardDescription>
            The active key signs issued tokens; retiring keys stay in the JWKS so tokens they signed
            keep verifying. Revoke a key that is compromised: it leaves the JWKS and verifies
            nothing from then on. The active key cannot be revoked: rotate first, then revoke it.
            {canWrite ? null : ' Read-only: your role cannot change this tenant.'}
          </CardDescription>
        </div>
        {canWrite ? (
          <ConfirmDialog
            trigger={<Button>Rotate now</Button>}
            title="Rotate the signing key?"
            description="A new key of the tenant's algorithm signs from now on (running STS processes switch within about a second). The current key starts retiring: tokens it signed keep verifying."
            confirmLabel="Rotate now"
            onConfirm={() => rotate.mutateAsync({ tenantId })}
          />
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        {rotate.isSuccess ? (
          <p role="status" className="text-sm text-success">
            Rotated: <span className="font-mono">{rotate.data.kid}</span> is now active.
          </p>
        ) : null}
        {keys.isPending ? <Loading /> : null}
        {keys.isError ? <ErrorState message={errorMessage(keys.error)} /> : null}
        {keys.data?.length === 0 ? (
          <Empty title="No signing key yet">
            The STS creates this tenant&apos;s first key within seconds of the change (when it
            reloads its configuration). This page updates by itself.
          </Empty>
        ) : null}
        {keys.data && keys.data.length > 0 ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Status</TableHead>
                <TableHead>Key id (kid)</TableHead>
                <TableHead>Algorithm</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Activated</TableHead>
                <TableHead>
                  <span className="sr-only">Public key</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.data.map((k) => (
                <TableRow key={k.kid} data-testid="signing-key-row">
                  <TableCell>
                    <Badge variant={STATUS[k.status]?.variant ?? 'outline'}>{k.status}</Badge>
                    <div className="text-xs text-muted-foreground">{STATUS[k.status]?.hint}</div>
                  </TableCell>
                  <TableCell className="break-all font-mono text-xs">{k.kid}</TableCell>
                  <TableCell className="font-mono text-xs">{k.alg}</TableCell>
                  <TableCell className="whitespace-nowrap text-xs">{utc(k.createdAt)}</TableCell>
                  <TableCell className="whitespace-nowrap text-xs">
                    {utc(k.activatedAt)}
                    {k.retiredAt ? (
                      <div className="text-muted-foreground">
                        {k.status === 'revoked' ? 'revoked' : 'retired'} {utc(k.retiredAt)}
                      </div>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap justify-end gap-2">
                      <PublicJwkDialog kid={k.kid} jwk={k.publicJwk} />
                      {canWrite && (k.status === 'retiring' || k.status === 'retired') ? (
                        <RevokeKeyButton tenantId={tenantId} kid={k.kid} />
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
    </Card>
  );
}
