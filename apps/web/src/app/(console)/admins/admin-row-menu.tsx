'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Ban,
  CheckCircle2,
  Link2,
  LogOut,
  MoreHorizontal,
  Pencil,
  Trash2,
  Unlink,
} from 'lucide-react';
import { useState } from 'react';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Button } from '~/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '~/components/ui/dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '~/components/ui/dropdown-menu';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import type { TAdminRole } from '~/server/trpc/routers/admin/admin.schema';
import { EditAdminDialog } from './edit-admin-dialog';
import type { HandedOver } from './hand-over-dialog';

interface ListedAdmin {
  id: string;
  email: string;
  role: TAdminRole;
  tenantIds: string[];
  status: 'active' | 'invited' | 'disabled';
  hasPassword: boolean;
  ssoInvited: boolean;
  ssoIdentities: { issuer: string; subject: string }[];
}

/**
 * One admin's actions, in a menu (phones have no room for a row of buttons); each opens its
 * dialog. The server refuses what an owner may not do to themselves, with its reason.
 */
export function AdminRowMenu({
  admin,
  onHandOver,
}: {
  admin: ListedAdmin;
  onHandOver: (shown: HandedOver) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'edit' | 'renew' | 'remove' | 'unlink' | 'sign-out' | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.actions.pathKey() }),
    ]);
  };
  const setEnabled = useMutation(
    trpc.admin.setEnabled.mutationOptions({
      onSuccess: refresh,
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const renew = useMutation(
    trpc.admin.renewInvitation.mutationOptions({
      gcTime: 0,
      onSuccess: async (result) => {
        onHandOver({ email: admin.email, kind: 'link', ...result });
        renew.reset();
        await refresh();
      },
    }),
  );
  const remove = useMutation(trpc.admin.remove.mutationOptions({ onSuccess: refresh }));
  const unlink = useMutation(trpc.admin.unlinkSso.mutationOptions({ onSuccess: refresh }));
  const signOutEverywhere = useMutation(
    trpc.admin.signOutEverywhere.mutationOptions({ onSuccess: refresh }),
  );
  const identity = admin.ssoIdentities[0];
  const disabled = admin.status === 'disabled';
  const close = (open: boolean) => {
    if (!open) setDialog(null);
  };

  return (
    <>
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${admin.email}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuItem onSelect={() => setDialog('edit')}>
            <Pencil aria-hidden /> Edit role and tenants
          </DropdownMenuItem>
          {admin.status === 'invited' && !admin.ssoInvited ? (
            <DropdownMenuItem onSelect={() => setDialog('renew')}>
              <Link2 aria-hidden /> New invitation link
            </DropdownMenuItem>
          ) : null}
          {identity ? (
            <DropdownMenuItem onSelect={() => setDialog('unlink')}>
              <Unlink aria-hidden /> Unlink single sign-on
            </DropdownMenuItem>
          ) : null}
          <DropdownMenuItem
            onSelect={() => {
              setError(null);
              setEnabled.mutate({ adminId: admin.id, enabled: disabled });
            }}
          >
            {disabled ? <CheckCircle2 aria-hidden /> : <Ban aria-hidden />}
            {disabled ? 'Enable' : 'Disable'}
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setDialog('sign-out')}>
            <LogOut aria-hidden /> Sign out everywhere
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem destructive onSelect={() => setDialog('remove')}>
            <Trash2 aria-hidden /> Remove
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <EditAdminDialog
        admin={admin}
        open={dialog === 'edit'}
        onOpenChange={close}
        onSaved={refresh}
      />
      <ConfirmDialog
        open={dialog === 'renew'}
        onOpenChange={close}
        title={`New invitation link for ${admin.email}?`}
        description="A new link is made and shown once. The current link stops working."
        confirmLabel="Make a new link"
        onConfirm={() => renew.mutateAsync({ adminId: admin.id })}
      />
      {identity ? (
        <ConfirmDialog
          open={dialog === 'unlink'}
          onOpenChange={close}
          title={`Unlink single sign-on for ${admin.email}?`}
          description={`Their identity ${identity.subject} at ${identity.issuer} no longer signs them in. They sign in with their password, and may link single sign-on again themselves.`}
          confirmLabel="Unlink"
          destructive
          onConfirm={() => unlink.mutateAsync({ adminId: admin.id, issuer: identity.issuer })}
        />
      ) : null}
      <ConfirmDialog
        open={dialog === 'sign-out'}
        onOpenChange={close}
        title={`Sign out ${admin.email} everywhere?`}
        description={`Every session of ${admin.email} ends at its next request (yours too, if this is you). They can sign in again; disable them to keep them out.`}
        confirmLabel="Sign out everywhere"
        destructive
        onConfirm={() => signOutEverywhere.mutateAsync({ adminId: admin.id })}
      />
      <ConfirmDialog
        open={dialog === 'remove'}
        onOpenChange={close}
        title={`Remove ${admin.email}?`}
        description={`${admin.email} can no longer sign in, and any open session ends at its next request. Their past actions stay in the activity.`}
        confirmLabel="Remove admin"
        destructive
        onConfirm={() => remove.mutateAsync({ adminId: admin.id })}
      />
      <Dialog open={error !== null} onOpenChange={(open) => (open ? null : setError(null))}>
        <DialogContent title={disabled ? 'Not enabled' : 'Not disabled'}>
          {error ? <ErrorState message={error} /> : null}
          <div className="flex justify-end">
            <DialogClose asChild>
              <Button variant="outline">Close</Button>
            </DialogClose>
          </div>
        </DialogContent>
      </Dialog>
    </>
  );
}
