'use client';

import type { SigningKeyRecord, SigningKeyStatus } from '@sts/console';
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
  pending: { variant: 'warning', hint: 'in the JWKS; signs from its activation' },
  active: { variant: 'success', hint: 'signs new tokens' },
  retiring: { variant: 'warning', hint: 'verifies tokens it signed, until it retires' },
  retired: { variant: 'outline', hint: 'out of the JWKS' },
  revoked: { variant: 'outline', hint: 'revoked: out of the JWKS, verifies nothing' },
};

/** Dates in UTC, to the second. */
const utc = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—');

/** "5 minutes", "90 seconds", "1 hour". */
function duration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0 && seconds > 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0 && seconds > 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

type KeyDates = Pick<
  SigningKeyRecord,
  | 'status'
  | 'createdAt'
  | 'activatesAt'
  | 'activatedAt'
  | 'stoppedSigningAt'
  | 'retireAfter'
  | 'retiredAt'
>;

/** The dates that say where a key is in its lifecycle (decision 0020). */
function lifecycleDates(k: KeyDates): [string, Date | null][] {
  const dates: [string, Date | null][] = [['created', k.createdAt]];
  if (k.status === 'pending') dates.push(['activates', k.activatesAt]);
  else if (k.activatedAt) dates.push(['activated', k.activatedAt]);
  if (k.stoppedSigningAt) dates.push(['stopped signing', k.stoppedSigningAt]);
  if (k.status === 'retiring') dates.push(['retires', k.retireAfter]);
  if (k.retiredAt) dates.push([k.status === 'revoked' ? 'revoked' : 'retired', k.retiredAt]);
  return dates;
}

export function KeysView({
  tenantId,
  canWrite,
  prepublishSeconds,
}: {
  tenantId: string;
  canWrite: boolean;
  /** STS_KEY_PREPUBLISH_SECONDS: how long a new key is published before it signs. */
  prepublishSeconds: number;
}) {
  const delay = duration(prepublishSeconds);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery({
    ...trpc.key.list.queryOptions({ tenantId }),
    // A tenant created in the console gets its first key when the STS reloads, and the STS
    // moves keys along their lifecycle: poll until there is a key, and while one is pending.
    refetchInterval: (query) =>
      query.state.data?.length === 0
        ? 2_000
        : query.state.data?.some((k) => k.status === 'pending')
          ? 10_000
          : false,
  });
  const schedule = useQuery(trpc.key.schedule.queryOptions({ tenantId }));
  const rotate = useMutation(
    trpc.key.rotate.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.key.list.queryKey({ tenantId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.key.schedule.queryKey({ tenantId }) }),
        ]),
    }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Signing keys</CardTitle>
          <CardDescription>
            The active key signs issued tokens. A new key is published in the JWKS {delay} before it
            signs (pending), so that verifiers have it when its first token arrives. A key that
            stopped signing keeps verifying (retiring) until every token it signed has expired, then
            leaves the JWKS (retired). Revoke a key that is compromised: it leaves the JWKS and
            verifies nothing from then on. The active key cannot be revoked: rotate first, then
            revoke it.
            {canWrite ? null : ' Read-only: your role cannot change this tenant.'}
          </CardDescription>
        </div>
        {canWrite ? (
          <ConfirmDialog
            trigger={<Button>Rotate now</Button>}
            title="Rotate the signing key?"
            description={`A new key of the tenant's algorithm is published in the JWKS now and signs after ${delay}. Until then the current key signs; after that it starts retiring: tokens it signed keep verifying until they expire.`}
            confirmLabel="Rotate now"
            onConfirm={() => rotate.mutateAsync({ tenantId })}
          />
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        {schedule.data ? (
          <p className="text-sm" data-testid="key-schedule">
            {schedule.data.rotationDays === null ? (
              <>
                Scheduled rotation: off. Keys rotate only when rotated here; set a rotation period
                in the tenant&apos;s settings.
              </>
            ) : (
              <>
                Scheduled rotation: every {schedule.data.rotationDays} day
                {schedule.data.rotationDays === 1 ? '' : 's'}. Next rotation:{' '}
                <span data-testid="key-next-rotation">{utc(schedule.data.nextRotationAt)}</span> (a
                new key is published then, and signs {delay} later).
              </>
            )}
          </p>
        ) : null}
        {rotate.isSuccess ? (
          <p role="status" className="text-sm text-success">
            {rotate.data.previousKid === null ? (
              <>
                Rotated: <span className="font-mono">{rotate.data.kid}</span> is now active.
              </>
            ) : (
              <>
                Rotated: <span className="font-mono">{rotate.data.kid}</span> is published and signs
                from {utc(rotate.data.activatesAt)} (in {delay}).
              </>
            )}
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
                <TableHead>Dates</TableHead>
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
                  <TableCell className="text-xs">
                    <dl className="grid gap-0.5">
                      {lifecycleDates(k).map(([label, date]) => (
                        <div key={label} data-testid={`key-date-${label.replace(' ', '-')}`}>
                          <dt className="inline text-muted-foreground">{label} </dt>
                          <dd className="inline whitespace-nowrap">{utc(date)}</dd>
                        </div>
                      ))}
                    </dl>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap justify-end gap-2">
                      <PublicJwkDialog kid={k.kid} jwk={k.publicJwk} />
                      {canWrite &&
                      (k.status === 'pending' ||
                        k.status === 'retiring' ||
                        k.status === 'retired') ? (
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
