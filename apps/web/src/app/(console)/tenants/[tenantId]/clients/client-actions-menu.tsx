'use client';

import type { ClientRecord, GeneratedSecret } from '@sts/console';
import { useMutation } from '@tanstack/react-query';
import { MoreHorizontal } from 'lucide-react';
import { useRef, useState } from 'react';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Button } from '~/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '~/components/ui/dropdown-menu';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { AuthMethodDialog } from './auth-method-dialog';
import type { ShownSecret } from './client-secret-dialog';
import { EditClientDialog } from './edit-client-dialog';

type Opened = 'edit' | 'auth' | 'rotate' | 'delete' | null;

/**
 * A client's actions behind one button ("Actions for <client id>"), on its row and on its page:
 * edit, authentication, rotate the secret, enable or disable, delete. Each dialog returns focus to
 * the button.
 */
export function ClientActionsMenu({
  tenantId,
  client,
  onChanged,
  onSecret,
  onDeleted,
  onError,
  showLabel = false,
}: {
  tenantId: string;
  client: ClientRecord;
  /** After a change: reload what shows the client. */
  onChanged: () => Promise<void>;
  /** A secret the server just generated, to show once. */
  onSecret: (shown: ShownSecret) => void;
  /** After the client was deleted, instead of onChanged (its page leaves it). */
  onDeleted?: () => void;
  /** Enabling or disabling failed (the dialogs show their own errors). */
  onError: (message: string | null) => void;
  /** "Actions" in words next to the icon (the client's page); a row shows the icon alone. */
  showLabel?: boolean;
}) {
  const trpc = useTRPC();
  const [opened, setOpened] = useState<Opened>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => setOpened(null);
  const backToButton = (event: Event) => {
    event.preventDefault();
    button.current?.focus();
  };
  const secretShown = async (result: GeneratedSecret) => {
    if (result.secret)
      onSecret({ ...result, secret: result.secret, returnFocusTo: button.current });
    await onChanged();
  };
  // The response holds the new secret: keep it in no cache once it is handed over.
  const rotate = useMutation(trpc.client.rotateSecret.mutationOptions({ gcTime: 0 }));
  const remove = useMutation(trpc.client.delete.mutationOptions());
  const setEnabled = useMutation(
    trpc.client.setEnabled.mutationOptions({
      onSuccess: onChanged,
      onError: (err) => onError(errorMessage(err)),
    }),
  );
  const { clientId } = client;
  const usesSecret = client.authMethod !== 'private_key_jwt';
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            ref={button}
            variant="outline"
            size={showLabel ? 'sm' : 'icon'}
            aria-label={`Actions for ${clientId}`}
            disabled={setEnabled.isPending}
          >
            <MoreHorizontal aria-hidden />
            {showLabel ? 'Actions' : null}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setOpened('edit')}>Edit…</DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setOpened('auth')}>Authentication…</DropdownMenuItem>
          {usesSecret ? (
            <DropdownMenuItem onSelect={() => setOpened('rotate')}>Rotate secret…</DropdownMenuItem>
          ) : null}
          <DropdownMenuItem
            onSelect={() => {
              onError(null);
              setEnabled.mutate({ tenantId, clientId, enabled: client.disabled });
            }}
          >
            {client.disabled ? 'Enable' : 'Disable'}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem destructive onSelect={() => setOpened('delete')}>
            Delete…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {opened === 'edit' ? (
        <EditClientDialog
          tenantId={tenantId}
          client={client}
          onSaved={onChanged}
          onClose={close}
          onCloseAutoFocus={backToButton}
        />
      ) : null}
      {opened === 'auth' ? (
        <AuthMethodDialog
          tenantId={tenantId}
          client={client}
          onSaved={secretShown}
          onClose={close}
          onCloseAutoFocus={backToButton}
        />
      ) : null}
      <ConfirmDialog
        open={opened === 'rotate'}
        onOpenChange={(open) => setOpened(open ? 'rotate' : null)}
        onCloseAutoFocus={backToButton}
        title={`Rotate the secret of ${clientId}?`}
        description="A new secret is generated and shown once. The current one stops working within seconds."
        confirmLabel="Rotate secret"
        onConfirm={async () => {
          const result = await rotate.mutateAsync({ tenantId, clientId });
          rotate.reset();
          await secretShown(result);
        }}
      />
      <ConfirmDialog
        open={opened === 'delete'}
        onOpenChange={(open) => setOpened(open ? 'delete' : null)}
        onCloseAutoFocus={backToButton}
        title={`Delete client ${clientId}?`}
        description="It can no longer authenticate. This cannot be undone."
        confirmLabel="Delete client"
        destructive
        onConfirm={async () => {
          await remove.mutateAsync({ tenantId, clientId });
          if (onDeleted) onDeleted();
          else await onChanged();
        }}
      />
    </>
  );
}
