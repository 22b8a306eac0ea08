'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import type { TrustedIssuerConfig } from '@sts/core/config';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TIssuerForm,
  type TIssuerFormInput,
  ZIssuerFormSchema,
} from '~/server/trpc/routers/issuer/issuer.schema';
import { IssuerAlgorithmsField } from './issuer-algorithms-field';
import { IssuerAudiencesField } from './issuer-audiences-field';
import { IssuerKeysFields } from './issuer-keys-fields';
import { IssuerTypField } from './issuer-typ-field';
import { SampleTokenCheck } from './sample-token-check';

const formValues = (issuer?: TrustedIssuerConfig): TIssuerFormInput => ({
  issuer: issuer?.issuer ?? '',
  keySource: issuer?.jwks ? 'jwks' : 'jwksUri',
  jwksUri: issuer?.jwksUri ?? '',
  jwks: issuer?.jwks ? JSON.stringify(issuer.jwks, null, 2) : '',
  audiences: issuer?.audiences ?? [],
  anyAudience: issuer?.anyAudience ?? false,
  accessTokenTyp: issuer?.accessTokenTyp ?? ['at+jwt'],
  algorithms: issuer?.algorithms ?? ['ES256', 'RS256'],
});

/**
 * Adds a trusted issuer, or (with `existing`) edits its keys, audiences (or any audience),
 * the typ of its access tokens and its algorithms; a sample token shows what it really sends.
 */
export function IssuerFormDialog({
  tenantId,
  existing,
  trigger,
  onSaved,
}: {
  tenantId: string;
  existing?: TrustedIssuerConfig;
  trigger: ReactNode;
  onSaved: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const trpc = useTRPC();
  const form = useForm<TIssuerFormInput, unknown, TIssuerForm>({
    resolver: zodResolver(ZIssuerFormSchema),
    defaultValues: formValues(existing),
  });
  const save = useMutation(
    (existing ? trpc.issuer.update : trpc.issuer.create).mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await onSaved();
      },
    }),
  );

  const { errors } = form.formState;
  const formError = useServerErrors(form, save);
  const error = (name: keyof TIssuerFormInput) => errors[name]?.message;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // The content (and the keys fetched in it) unmounts when the dialog closes.
        if (next) form.reset(formValues(existing));
        else save.reset();
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent
        className="max-w-2xl"
        title={existing ? 'Edit trusted issuer' : 'Add trusted issuer'}
        description="Tokens from this issuer are accepted as subject or actor tokens, as the rules allow."
      >
        <FormProvider {...form}>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit((values) => save.mutate({ tenantId, ...values }))}
          >
            {formError ? <ErrorState message={formError} /> : null}
            <IssuerKeysFields
              tenantId={tenantId}
              idPrefix={id}
              editing={Boolean(existing)}
              error={error}
            />
            <IssuerAlgorithmsField idPrefix={id} error={error('algorithms')} />
            <IssuerAudiencesField
              idPrefix={id}
              error={error('audiences')}
              anyAudienceError={error('anyAudience')}
            />
            <IssuerTypField idPrefix={id} error={error('accessTokenTyp')} />
            <SampleTokenCheck tenantId={tenantId} idPrefix={id} />
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : existing ? 'Save' : 'Add issuer'}
            </Button>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
