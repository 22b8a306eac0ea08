'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { Input, Textarea } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import type { TIssuerFormInput } from '~/server/trpc/routers/issuer/issuer.schema';
import { FetchedKeys } from './fetched-keys';

/**
 * The issuer URL and where its keys come from: a JWKS URI (with "Fetch keys" to see what is
 * there now) or an inline JWKS. Used inside the issuer dialog's FormProvider.
 */
export function IssuerKeysFields({
  tenantId,
  idPrefix: id,
  editing,
  error,
}: {
  tenantId: string;
  idPrefix: string;
  /** Editing an existing issuer: its URL names it and cannot change. */
  editing: boolean;
  error: (name: keyof TIssuerFormInput) => string | undefined;
}) {
  const trpc = useTRPC();
  const form = useFormContext<TIssuerFormInput>();
  const keySource = form.watch('keySource');
  const jwksUri = form.watch('jwksUri');
  const fetchKeys = useMutation(trpc.issuer.fetchKeys.mutationOptions());
  const [fetchedFrom, setFetchedFrom] = useState<string | null>(null);

  const fetchNow = () => {
    const uri = form.getValues('jwksUri').trim();
    if (!uri) {
      form.setError('jwksUri', { message: 'Enter the JWKS URI to fetch' });
      return;
    }
    setFetchedFrom(uri);
    fetchKeys.mutate({ tenantId, jwksUri: uri });
  };

  return (
    <>
      <Field
        id={`${id}-issuer`}
        label="Issuer"
        hint={
          editing
            ? 'The issuer names the entry (rules refer to it): to change it, add a new one.'
            : 'The exact "iss" of its tokens.'
        }
        error={error('issuer')}
      >
        <Input
          id={`${id}-issuer`}
          type="url"
          placeholder="https://idp.example.com"
          readOnly={editing}
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
            <FetchedKeys
              result={fetchKeys.data}
              from={fetchedFrom === jwksUri.trim() ? undefined : fetchedFrom}
            />
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
    </>
  );
}
