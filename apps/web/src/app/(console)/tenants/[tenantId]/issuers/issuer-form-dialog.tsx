'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import type { TrustedIssuerConfig } from '@sts/core/config';
import { VERIFY_ALGS } from '@sts/core/config';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { StringList } from '~/components/form/string-list';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input, Textarea } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { itemMessages } from '~/lib/form-helpers';
import { errorMessage, fieldErrors, useTRPC } from '~/lib/trpc';
import {
  type TIssuerForm,
  type TIssuerFormInput,
  ZIssuerFormSchema,
} from '~/server/trpc/routers/issuer/issuer.schema';
import { FetchedKeys } from './fetched-keys';

const formValues = (issuer?: TrustedIssuerConfig): TIssuerFormInput => ({
  issuer: issuer?.issuer ?? '',
  keySource: issuer?.jwks ? 'jwks' : 'jwksUri',
  jwksUri: issuer?.jwksUri ?? '',
  jwks: issuer?.jwks ? JSON.stringify(issuer.jwks, null, 2) : '',
  audiences: issuer?.audiences ?? [],
  algorithms: issuer?.algorithms ?? ['ES256', 'RS256'],
});

/** Adds a trusted issuer, or (with `existing`) edits its keys, audiences and algorithms. */
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
  const fetchKeys = useMutation(trpc.issuer.fetchKeys.mutationOptions());
  const [fetchedFrom, setFetchedFrom] = useState<string | null>(null);

  const { errors } = form.formState;
  const server = fieldErrors(save.error);
  const error = (name: keyof TIssuerFormInput) => errors[name]?.message ?? server[name]?.[0];
  const keySource = form.watch('keySource');
  const jwksUri = form.watch('jwksUri');

  const fetchNow = () => {
    const uri = form.getValues('jwksUri').trim();
    if (!uri) {
      form.setError('jwksUri', { message: 'enter the JWKS URI to fetch' });
      return;
    }
    setFetchedFrom(uri);
    fetchKeys.mutate({ tenantId, jwksUri: uri });
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) form.reset(formValues(existing));
        else {
          save.reset();
          fetchKeys.reset();
          setFetchedFrom(null);
        }
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent
        className="max-w-2xl"
        title={existing ? 'Edit trusted issuer' : 'Add trusted issuer'}
        description="Tokens from this issuer are accepted as subject or actor tokens, as the rules allow."
      >
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => save.mutate({ tenantId, ...values }))}
        >
          {save.isError ? <ErrorState message={errorMessage(save.error)} /> : null}
          <Field
            id={`${id}-issuer`}
            label="Issuer"
            hint={
              existing
                ? 'The issuer names the entry (rules refer to it): to change it, add a new one.'
                : 'The exact "iss" of its tokens.'
            }
            error={error('issuer')}
          >
            <Input
              id={`${id}-issuer`}
              type="url"
              placeholder="https://idp.example.com"
              readOnly={Boolean(existing)}
              aria-invalid={Boolean(error('issuer'))}
              aria-describedby={error('issuer') ? `${id}-issuer-error` : undefined}
              {...form.register('issuer')}
            />
          </Field>

          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">Keys</legend>
            <div className="flex gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" value="jwksUri" {...form.register('keySource')} /> JWKS URI
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" value="jwks" {...form.register('keySource')} /> Inline JWKS
              </label>
            </div>
          </fieldset>

          {keySource === 'jwksUri' ? (
            <div className="grid gap-2">
              <Field
                id={`${id}-jwks-uri`}
                label="JWKS URI"
                hint="https; the STS fetches and caches it, and refetches for an unknown kid."
                error={error('jwksUri')}
              >
                <div className="flex gap-2">
                  <Input
                    id={`${id}-jwks-uri`}
                    type="url"
                    placeholder="https://idp.example.com/.well-known/jwks.json"
                    aria-invalid={Boolean(error('jwksUri'))}
                    aria-describedby={error('jwksUri') ? `${id}-jwks-uri-error` : undefined}
                    {...form.register('jwksUri')}
                  />
                  <Button
                    type="button"
                    variant="outline"
                    onClick={fetchNow}
                    disabled={fetchKeys.isPending}
                  >
                    {fetchKeys.isPending ? 'Fetching…' : 'Fetch keys'}
                  </Button>
                </div>
              </Field>
              {fetchKeys.isError ? <ErrorState message={errorMessage(fetchKeys.error)} /> : null}
              {fetchKeys.data && fetchedFrom ? (
                <div className="grid gap-1">
                  <p className="text-xs text-muted-foreground">
                    {fetchedFrom === jwksUri.trim()
                      ? 'Found at this URI:'
                      : `Found at ${fetchedFrom} (the URI has changed since):`}
                  </p>
                  <FetchedKeys result={fetchKeys.data} />
                </div>
              ) : null}
            </div>
          ) : (
            <Field
              id={`${id}-jwks`}
              label="JWKS (JSON)"
              hint='{"keys": [...]}, public keys only (no "d" or "k").'
              error={error('jwks')}
            >
              <Textarea
                id={`${id}-jwks`}
                rows={8}
                spellCheck={false}
                aria-invalid={Boolean(error('jwks'))}
                aria-describedby={error('jwks') ? `${id}-jwks-error` : undefined}
                {...form.register('jwks')}
              />
            </Field>
          )}

          <Controller
            control={form.control}
            name="algorithms"
            render={({ field }) => (
              <fieldset
                className="grid gap-2"
                aria-invalid={Boolean(error('algorithms'))}
                aria-describedby={error('algorithms') ? `${id}-algs-error` : undefined}
              >
                <legend className="mb-1 text-sm font-medium">Accepted algorithms</legend>
                <div className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
                  {VERIFY_ALGS.map((alg) => (
                    <label key={alg} className="flex items-center gap-1.5 font-mono text-xs">
                      <input
                        type="checkbox"
                        checked={field.value.includes(alg)}
                        onChange={(e) =>
                          field.onChange(
                            e.target.checked
                              ? VERIFY_ALGS.filter((a) => a === alg || field.value.includes(a))
                              : field.value.filter((a) => a !== alg),
                          )
                        }
                        onBlur={field.onBlur}
                      />
                      {alg}
                    </label>
                  ))}
                </div>
                {error('algorithms') ? (
                  <p id={`${id}-algs-error`} role="alert" className="text-xs text-destructive">
                    {error('algorithms')}
                  </p>
                ) : (
                  <p className="text-xs text-muted-foreground">
                    Pinned: tokens signed otherwise are refused. none and HMAC are never accepted.
                  </p>
                )}
              </fieldset>
            )}
          />

          <Controller
            control={form.control}
            name="audiences"
            render={({ field }) => (
              <StringList
                id={`${id}-aud`}
                legend="Expected audiences (optional)"
                hint="When set, its tokens must name one of these in aud."
                error={error('audiences')}
                itemErrors={itemMessages(errors.audiences, field.value?.length ?? 0)}
                value={field.value ?? []}
                onChange={field.onChange}
                placeholder="https://sts.example.com"
                addLabel="Add audience"
                itemLabel="Audience"
                unique
              />
            )}
          />

          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : existing ? 'Save' : 'Add issuer'}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
