'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Button } from '~/components/ui/button';
import { useTRPC } from '~/lib/trpc';

/**
 * "Revoke" for a key that no longer signs, after a confirmation naming the key: it leaves the
 * JWKS and stops verifying at once (the STS reloads within about a second).
 */
export function RevokeKeyButton({ tenantId, kid }: { tenantId: string; kid: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.key.revoke.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.key.list.queryKey({ tenantId }) }),
    }),
  );
  return (
    <ConfirmDialog
      trigger={
        <Button variant="destructive" size="sm" aria-label={`Revoke key ${kid}`}>
          Revoke
        </Button>
      }
      title="Revoke this signing key now?"
      description={
        <>
          Key <span className="break-all font-mono">{kid}</span> leaves the tenant&apos;s JWKS and
          stops verifying within about a second: every token it signed is refused from then on, at
          introspection and as a subject token. This cannot be undone.
        </>
      }
      confirmLabel="Revoke key"
      destructive
      onConfirm={() => revoke.mutateAsync({ tenantId, kid })}
    />
  );
}
