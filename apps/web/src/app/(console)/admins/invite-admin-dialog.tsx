'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Controller, FormProvider, useForm } from 'react-hook-form';
import { RadioList } from '~/components/form/radio-list';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TInviteAdmin,
  type TInviteAdminInput,
  ZInviteAdminSchema,
} from '~/server/trpc/routers/admin/admin.schema';
import { AdminAccessFields } from './admin-access-fields';
import type { HandedOver } from './hand-over-dialog';

const EMPTY: TInviteAdminInput = {
  email: '',
  name: '',
  role: 'viewer',
  tenantIds: [],
  delivery: 'link',
};

const DELIVERIES = [
  ['link', 'A one-time link to set their own password (valid 7 days)'],
  ['password', 'An initial password, generated now and shown once'],
] as const;

/**
 * Invites an admin; the link or password is handed to `onInvited`, never kept here. With single
 * sign-on configured (`ssoName`), an admin may be invited to it only: no password.
 */
export function InviteAdminDialog({
  onInvited,
  ssoName,
}: {
  onInvited: (shown: HandedOver) => void;
  ssoName?: string;
}) {
  const deliveries = ssoName
    ? ([
        ...DELIVERIES,
        ['sso', `Single sign-on only (${ssoName}): no password; their first sign-in links it`],
      ] as const)
    : DELIVERIES;
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<TInviteAdminInput, unknown, TInviteAdmin>({
    resolver: zodResolver(ZInviteAdminSchema),
    defaultValues: EMPTY,
  });
  // The response holds the link or password: keep it in no cache once it is handed over.
  const invite = useMutation(
    trpc.admin.invite.mutationOptions({
      gcTime: 0,
      onSuccess: async (result) => {
        setOpen(false);
        form.reset(EMPTY);
        if (result.delivery === 'link')
          onInvited({
            email: result.admin.email,
            kind: 'link',
            link: result.link,
            expiresAt: result.expiresAt,
          });
        else if (result.delivery === 'password')
          onInvited({ email: result.admin.email, kind: 'password', password: result.password });
        invite.reset();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.admin.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.actions.pathKey() }),
        ]);
      },
    }),
  );
  const { errors } = form.formState;
  const formError = useServerErrors(form, invite);
  const id = useId();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) invite.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>Invite admin</Button>
      </DialogTrigger>
      <DialogContent
        title="Invite an admin"
        description="They appear as invited until they set their password."
      >
        <FormProvider {...form}>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit((values) => invite.mutate(values))}
          >
            {formError ? <ErrorState message={formError} /> : null}
            <Field id={`${id}-email`} label="E-mail" error={errors.email?.message}>
              <Input
                id={`${id}-email`}
                type="email"
                autoComplete="off"
                aria-invalid={Boolean(errors.email)}
                {...form.register('email')}
              />
            </Field>
            <Field id={`${id}-name`} label="Name (optional)" error={errors.name?.message}>
              <Input id={`${id}-name`} autoComplete="off" {...form.register('name')} />
            </Field>
            <AdminAccessFields idPrefix={id} />
            <Controller
              control={form.control}
              name="delivery"
              render={({ field }) => (
                <RadioList
                  id={`${id}-delivery`}
                  name="delivery"
                  legend="How they get in"
                  options={deliveries}
                  value={field.value}
                  onChange={field.onChange}
                  error={errors.delivery?.message}
                />
              )}
            />
            <Button type="submit" disabled={invite.isPending}>
              {invite.isPending ? 'Inviting…' : 'Invite'}
            </Button>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
