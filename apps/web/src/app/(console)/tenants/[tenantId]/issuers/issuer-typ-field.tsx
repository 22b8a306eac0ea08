'use client';

import type { ACCESS_TOKEN_TYPS } from '@sts/core/config';
import { Controller, useFormContext } from 'react-hook-form';
import type { TIssuerFormInput } from '~/server/trpc/routers/issuer/issuer.schema';

type Typ = (typeof ACCESS_TOKEN_TYPS)[number];

const OPTIONS: readonly [Typ, string, string][] = [
  ['at+jwt', 'at+jwt', 'RFC 9068 access tokens (the default).'],
  [
    'JWT',
    'JWT',
    'Only if the issuer puts it on its access tokens: its ID tokens carry it too, so the audiences above must keep them out.',
  ],
  ['absent', 'No typ header', 'Only if its access tokens carry no typ at all.'],
];

/**
 * The JOSE typ values the issuer puts on its access tokens: a subject or actor token sent as an
 * access token must carry one of them (decision 0010). Inside the issuer dialog's form.
 */
export function IssuerTypField({ idPrefix: id, error }: { idPrefix: string; error?: string }) {
  const form = useFormContext<TIssuerFormInput>();
  return (
    <Controller
      control={form.control}
      name="accessTokenTyp"
      render={({ field }) => (
        <fieldset
          className="grid gap-2"
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-typ-error` : `${id}-typ-hint`}
        >
          <legend className="mb-1 text-sm font-medium">Access token typ</legend>
          {OPTIONS.map(([value, label, hint]) => (
            <label key={value} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                aria-label={label}
                aria-describedby={`${id}-typ-${value}-hint`}
                className="mt-0.5 size-4 accent-primary"
                checked={field.value.includes(value)}
                onChange={(e) =>
                  field.onChange(
                    e.target.checked
                      ? OPTIONS.map(([v]) => v).filter(
                          (v) => v === value || field.value.includes(v),
                        )
                      : field.value.filter((v) => v !== value),
                  )
                }
                onBlur={field.onBlur}
              />
              <span className="grid gap-0.5">
                <span className="font-mono text-xs">{label}</span>
                <span id={`${id}-typ-${value}-hint`} className="text-xs text-muted-foreground">
                  {hint}
                </span>
              </span>
            </label>
          ))}
          {error ? (
            <p id={`${id}-typ-error`} role="alert" className="text-xs text-destructive">
              {error}
            </p>
          ) : (
            <p id={`${id}-typ-hint`} className="text-xs text-muted-foreground">
              The typ header its access tokens carry. Not sure? Check a sample token below.
            </p>
          )}
        </fieldset>
      )}
    />
  );
}
