'use client';

import { CLIENT_AUTH_METHODS } from '@sts/core/config';
import { useFormContext } from 'react-hook-form';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect, Textarea } from '~/components/ui/input';
import type { TClientAuthFormInput } from '~/server/trpc/routers/client/client.schema';

const METHOD_LABELS: Record<(typeof CLIENT_AUTH_METHODS)[number], string> = {
  client_secret_basic: 'client_secret_basic (secret in the Authorization header)',
  client_secret_post: 'client_secret_post (secret in the request body)',
  private_key_jwt: 'private_key_jwt (signed assertion, RFC 7523)',
};

/**
 * The auth method and, for private_key_jwt, the client's public keys (inline JWKS or a URI).
 * Used inside a FormProvider whose form has these fields (the server's field errors included).
 */
export function ClientAuthFields({ idPrefix }: { idPrefix: string }) {
  const form = useFormContext<TClientAuthFormInput>();
  const { errors } = form.formState;
  const method = form.watch('authMethod');
  const keySource = form.watch('keySource');
  const error = (name: 'authMethod' | 'jwks' | 'jwksUri') => errors[name]?.message;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <Field
        id={id('method')}
        label="Authentication method"
        hint={
          method === 'private_key_jwt'
            ? 'The client signs a JWT with its private key; the STS verifies it with these public keys.'
            : 'The STS generates the secret and shows it once.'
        }
        error={error('authMethod')}
      >
        <NativeSelect
          id={id('method')}
          aria-invalid={Boolean(error('authMethod'))}
          {...form.register('authMethod')}
        >
          {CLIENT_AUTH_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </NativeSelect>
      </Field>
      {method === 'private_key_jwt' ? (
        <>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">Public keys</legend>
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
            <Field
              id={id('jwks-uri')}
              label="JWKS URI"
              hint="https; fetched by the STS when the client authenticates."
              error={error('jwksUri')}
            >
              <Input
                id={id('jwks-uri')}
                type="url"
                placeholder="https://client.example.com/jwks.json"
                aria-invalid={Boolean(error('jwksUri'))}
                aria-describedby={error('jwksUri') ? `${id('jwks-uri')}-error` : undefined}
                {...form.register('jwksUri')}
              />
            </Field>
          ) : (
            <Field
              id={id('jwks')}
              label="JWKS (JSON)"
              hint='{"keys": [...]}, public keys only.'
              error={error('jwks')}
            >
              <Textarea
                id={id('jwks')}
                rows={6}
                spellCheck={false}
                placeholder='{"keys": [{"kty": "EC", "crv": "P-256", "x": "…", "y": "…", "kid": "…"}]}'
                aria-invalid={Boolean(error('jwks'))}
                aria-describedby={error('jwks') ? `${id('jwks')}-error` : undefined}
                {...form.register('jwks')}
              />
            </Field>
          )}
        </>
      ) : null}
    </>
  );
}

/** The auth fields' initial values for a client (or a new one). */
export function authFormValues(client?: {
  authMethod: (typeof CLIENT_AUTH_METHODS)[number];
  jwks: unknown;
  jwksUri: string | null;
}): TClientAuthFormInput {
  return {
    authMethod: client?.authMethod ?? 'client_secret_basic',
    keySource: client?.jwks ? 'jwks' : 'jwksUri',
    jwks: client?.jwks ? JSON.stringify(client.jwks, null, 2) : '',
    jwksUri: client?.jwksUri ?? '',
  };
}
