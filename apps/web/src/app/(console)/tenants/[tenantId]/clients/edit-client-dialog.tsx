'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, fieldErrors, useTRPC } from '~/lib/trpc';
import {
  type TClientSettingsForm,
  type TClientSettingsFormInput,
  ZClientSettingsFormSchema,
} from '~/server/trpc/routers/client/client.schema';

/** Display name and whether the client may use token exchange. */
export function EditClientDialog({
  tenantId,
  client,
  onSaved,
}: {
  tenantId: string;
  client: { clientId: string; displayName: string | null; allowTokenExchange: boolean };
  onSaved: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const initial = {
    displayName: client.displayName ?? '',
    allowTokenExchange: client.allowTokenExchange,
  };
  const form = useForm<TClientSettingsFormInput, unknown, TClientSettingsForm>({
    resolver: zodResolver(ZClientSettingsFormSchema),
    defaultValues: initial,
  });
  const update = useMutation(
    trpc.client.update.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await onSaved();
      },
    }),
  );
  const { errors } = form.formState;
  const server = fieldErrors(update.error);
  const idp = useId();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) form.reset(initial);
        else update.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent title={`Edit ${client.clientId}`}>
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) =>
            update.mutate({ tenantId, clientId: client.clientId, ...values }),
          )}
        >
          {update.isError ? <ErrorState message={errorMessage(update.error)} /> : null}
          <Field
            id={`${idp}-name`}
            label="Display name (optional)"
            error={errors.displayName?.message ?? server.displayName?.[0]}
          >
            <Input
              id={`${idp}-name`}
              aria-invalid={Boolean(errors.displayName ?? server.displayName)}
              {...form.register('displayName')}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register('allowTokenExchange')} />
            May use token exchange
          </label>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
