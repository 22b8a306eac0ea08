'use client';

import { Controller, useFormContext } from 'react-hook-form';
import { StringList } from '~/components/form/string-list';
import { itemMessages } from '~/lib/form-helpers';
import type { TIssuerFormInput } from '~/server/trpc/routers/issuer/issuer.schema';

/** The audiences the issuer's tokens must name (optional). Inside the issuer dialog's form. */
export function IssuerAudiencesField({
  idPrefix: id,
  error,
}: {
  idPrefix: string;
  error?: string;
}) {
  const form = useFormContext<TIssuerFormInput>();
  const { errors } = form.formState;
  return (
    <Controller
      control={form.control}
      name="audiences"
      render={({ field }) => (
        <StringList
          id={`${id}-aud`}
          legend="Expected audiences (optional)"
          hint="When set, its tokens must name one of these in aud."
          error={error}
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
  );
}
