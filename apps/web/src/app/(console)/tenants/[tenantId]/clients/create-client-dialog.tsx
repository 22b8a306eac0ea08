'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import type { GeneratedSecret } from '@sts/console';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TClientForm,
  type TClientFormInput,
  ZClientFormSchema,
} from '~/server/trpc/routers/client/client.schema';
import { authFormValues, ClientAuthFields } from './client-auth-fields';

const EMPTY: TClientFormInput = {
  clientId: '',
  displayName: '',
  allowTokenExchange: true,
  allowIntrospection: false,
  ...authFormValues(),
};

export function CreateClientDialog({
  tenantId,
  onCreated,
}: {
  tenantId: string;
  /** Called with the generated secret (null for private_key_jwt) after the client is saved. */
  onCreated: (created: GeneratedSecret) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const form = useForm<TClientFormInput, unknown, TClientForm>({
    resolver: zodResolver(ZClientFormSchema),
    defaultValues: EMPTY,
  });
  const create = useMutation(
    trpc.client.create.mutationOptions({
      // The response holds the new secret: keep it in no cache once it is handed over.
      gcTime: 0,
      onSuccess: async (created) => {
        setOpen(false);
        form.reset(EMPTY);
        await onCreated(created);
        create.reset();
      },
    }),
  );
  const { errors } = form.formState;
  const formError = useServerErrors(form, create);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>New client</Button>
      </DialogTrigger>
      <DialogContent
        title="New client"
        description="A client calls the token endpoint. Secret methods get a generated secret, shown once."
      >
        <FormProvider {...form}>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit((values) => create.mutate({ tenantId, ...values }))}
          >
            {formError ? <ErrorState message={formError} /> : null}
            <Field
              id="client-id"
              label="Client id"
              hint="Letters, digits and punctuation, no spaces; at most 128 characters; unique in the tenant."
              error={errors.clientId?.message}
            >
              <Input
                id="client-id"
                autoComplete="off"
                aria-invalid={Boolean(errors.clientId)}
                aria-describedby={errors.clientId ? 'client-id-error' : undefined}
                {...form.register('clientId')}
              />
            </Field>
            <Field
              id="client-name"
              label="Display name (optional)"
              error={errors.displayName?.message}
            >
              <Input
                id="client-name"
                aria-invalid={Boolean(errors.displayName)}
                {...form.register('displayName')}
              />
            </Field>
            <ClientAuthFields idPrefix="client-create" />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" {...form.register('allowTokenExchange')} />
              May use token exchange
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" {...form.register('allowIntrospection')} />
              May introspect tokens (resource servers only: reads every token’s claims)
            </label>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create client'}
            </Button>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
