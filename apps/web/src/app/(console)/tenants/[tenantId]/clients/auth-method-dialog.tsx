'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import type { ClientRecord, GeneratedSecret } from '@sts/console';
import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent } from '~/components/ui/dialog';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TClientAuthForm,
  type TClientAuthFormInput,
  ZClientAuthFormSchema,
} from '~/server/trpc/routers/client/client.schema';
import { authFormValues, ClientAuthFields } from './client-auth-fields';

/**
 * Changes how a client authenticates, or its public keys. Moving from private_key_jwt to a secret
 * method generates a secret (shown once); between the secret methods the secret stays. Open while
 * mounted, like EditClientDialog.
 */
export function AuthMethodDialog({
  tenantId,
  client,
  onSaved,
  onClose,
  onCloseAutoFocus,
}: {
  tenantId: string;
  client: Pick<ClientRecord, 'clientId' | 'authMethod' | 'jwks' | 'jwksUri'>;
  onSaved: (result: GeneratedSecret) => Promise<void>;
  onClose: () => void;
  /** Where focus goes when it closes (the menu's button). */
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const idPrefix = useId();
  const trpc = useTRPC();
  const form = useForm<TClientAuthFormInput, unknown, TClientAuthForm>({
    resolver: zodResolver(ZClientAuthFormSchema),
    defaultValues: authFormValues(client),
  });
  const save = useMutation(
    trpc.client.setAuthMethod.mutationOptions({
      // The response may hold a new secret: keep it in no cache once it is handed over.
      gcTime: 0,
      onSuccess: async (result) => {
        onClose();
        await onSaved(result);
        save.reset();
      },
    }),
  );
  const formError = useServerErrors(form, save);
  const method = form.watch('authMethod');
  const note =
    method === 'private_key_jwt'
      ? client.authMethod === 'private_key_jwt'
        ? 'The client keeps signing assertions; the STS verifies them with these keys.'
        : 'The current secret will stop working.'
      : client.authMethod === 'private_key_jwt'
        ? 'A secret will be generated and shown once.'
        : 'The current secret stays valid; rotate it separately if needed.';
  return (
    <Dialog
      open
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
    >
      <DialogContent
        title={`Authentication of ${client.clientId}`}
        onCloseAutoFocus={onCloseAutoFocus}
      >
        <FormProvider {...form}>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit((values) =>
              save.mutate({ tenantId, clientId: client.clientId, ...values }),
            )}
          >
            {formError ? <ErrorState message={formError} /> : null}
            <ClientAuthFields idPrefix={idPrefix} />
            <p className="text-sm text-muted-foreground">{note}</p>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save'}
            </Button>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
