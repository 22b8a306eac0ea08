'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TClientSettingsForm,
  type TClientSettingsFormInput,
  ZClientSettingsFormSchema,
} from '~/server/trpc/routers/client/client.schema';

/**
 * Display name and whether the client may use token exchange. Open while mounted: the client's
 * actions menu mounts it, and `onClose` unmounts it (the next opening starts from the saved values).
 */
export function EditClientDialog({
  tenantId,
  client,
  onSaved,
  onClose,
  onCloseAutoFocus,
}: {
  tenantId: string;
  client: {
    clientId: string;
    displayName: string | null;
    allowTokenExchange: boolean;
    allowIntrospection: boolean;
  };
  onSaved: () => Promise<void>;
  onClose: () => void;
  /** Where focus goes when it closes (the menu's button). */
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const trpc = useTRPC();
  const initial = {
    displayName: client.displayName ?? '',
    allowTokenExchange: client.allowTokenExchange,
    allowIntrospection: client.allowIntrospection,
  };
  const form = useForm<TClientSettingsFormInput, unknown, TClientSettingsForm>({
    resolver: zodResolver(ZClientSettingsFormSchema),
    defaultValues: initial,
  });
  const update = useMutation(
    trpc.client.update.mutationOptions({
      onSuccess: async () => {
        onClose();
        await onSaved();
      },
    }),
  );
  const { errors } = form.formState;
  const formError = useServerErrors(form, update);
  const idp = useId();
  return (
    <Dialog
      open
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
    >
      <DialogContent title={`Edit ${client.clientId}`} onCloseAutoFocus={onCloseAutoFocus}>
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) =>
            update.mutate({ tenantId, clientId: client.clientId, ...values }),
          )}
        >
          {formError ? <ErrorState message={formError} /> : null}
          <Field
            id={`${idp}-name`}
            label="Display name (optional)"
            error={errors.displayName?.message}
          >
            <Input
              id={`${idp}-name`}
              aria-invalid={Boolean(errors.displayName)}
              {...form.register('displayName')}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register('allowTokenExchange')} />
            May use token exchange
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register('allowIntrospection')} />
            May introspect tokens (resource servers only: reads every token’s claims)
          </label>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
