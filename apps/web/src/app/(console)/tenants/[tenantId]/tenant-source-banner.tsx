'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Lock, TriangleAlert } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Button } from '~/components/ui/button';
import { useTRPC } from '~/lib/trpc';

/** Dates in UTC, to the minute. */
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const NOTE =
  'flex flex-wrap items-start gap-2 rounded-md border border-warning-border bg-warning-soft p-3 text-sm text-warning';

/**
 * On every page of a tenant, where the configuration file has a say (decision 0023): managed by
 * the file (read-only here, with "Detach from file"), or no longer in the file (kept by the
 * STS_REMOVED_FILE_TENANTS=keep setting). Nothing for other tenants.
 */
export function TenantSourceBanner({
  tenantId,
  canDetach,
}: {
  tenantId: string;
  /** Owner, or an admin of this tenant. */
  canDetach: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const tenant = useQuery(trpc.tenant.get.queryOptions({ tenantId }));
  const detach = useMutation(
    trpc.tenant.detach.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.tenant.pathKey() });
        // The pages' edit controls are decided on the server: read them again.
        router.refresh();
      },
    }),
  );
  const t = tenant.data;
  if (!t) return null;

  if (t.source === 'file')
    return (
      <div role="note" className={NOTE} data-testid="file-managed-banner">
        <Lock className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p className="min-w-0 flex-1">
          <strong>Managed by the configuration file.</strong> This tenant is declared in the STS
          configuration file, which is applied at every STS start: its settings, clients, trusted
          issuers and rules are read-only here. Change them in the file. Signing keys can still be
          rotated here.
          {canDetach
            ? ' To manage the tenant in the console instead, detach it from the file.'
            : null}
        </p>
        {canDetach ? (
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="outline">
                Detach from file
              </Button>
            }
            title="Detach this tenant from the configuration file?"
            description={`Tenant ${tenantId} becomes editable here, and the STS no longer applies the file's version of it: later edits to it in the file are ignored (each start warns while it is still in the file). Remove it from the file to keep things clear. This cannot be undone here.`}
            confirmLabel="Detach from file"
            onConfirm={() => detach.mutateAsync({ tenantId })}
          />
        ) : null}
      </div>
    );

  if (t.removedFromFileAt)
    return (
      <div role="note" className={NOTE} data-testid="removed-from-file-banner">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p className="min-w-0 flex-1">
          <strong>No longer in the configuration file.</strong> The STS start of{' '}
          {utc(t.removedFromFileAt)} found this tenant removed from the file and kept it (setting
          STS_REMOVED_FILE_TENANTS=keep): it still issues tokens, and is managed here since. Delete
          it if it is no longer needed.
        </p>
      </div>
    );

  if (t.detachedAt)
    return (
      <p className="text-sm text-muted-foreground" data-testid="detached-note">
        Detached from the configuration file on {utc(t.detachedAt)}: managed here; the file's
        version of this tenant is not applied.
      </p>
    );
  return null;
}
