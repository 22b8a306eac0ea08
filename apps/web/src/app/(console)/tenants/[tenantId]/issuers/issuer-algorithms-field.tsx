'use client';

import { VERIFY_ALGS } from '@sts/core/config';
import { Controller, useFormContext } from 'react-hook-form';
import type { TIssuerFormInput } from '~/server/trpc/routers/issuer/issuer.schema';

/** The signing algorithms accepted from the issuer, pinned. Inside the issuer dialog's form. */
export function IssuerAlgorithmsField({
  idPrefix: id,
  error,
}: {
  idPrefix: string;
  error?: string;
}) {
  const form = useFormContext<TIssuerFormInput>();
  return (
    <Controller
      control={form.control}
      name="algorithms"
      render={({ field }) => (
        <fieldset
          className="grid gap-2"
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-algs-error` : undefined}
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
          {error ? (
            <p id={`${id}-algs-error`} role="alert" className="text-xs text-destructive">
              {error}
            </p>
          ) : (
            <p className="text-xs text-muted-foreground">
              Pinned: tokens signed otherwise are refused. none and HMAC are never accepted.
            </p>
          )}
        </fieldset>
      )}
    />
  );
}
