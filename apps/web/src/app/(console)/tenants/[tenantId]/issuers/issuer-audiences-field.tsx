'use client';

import { Controller, useFormContext, useWatch } from 'react-hook-form';
import { CheckboxField } from '~/components/form/checkbox-field';
import { StringList } from '~/components/form/string-list';
import { itemMessages } from '~/lib/form-helpers';
import type { TIssuerFormInput } from '~/server/trpc/routers/issuer/issuer.schema';

/**
 * The audiences the issuer's tokens must name, or the explicit opt-in to any audience (decision
 * 0010: with neither, no token of the issuer is accepted). Inside the issuer dialog's form.
 */
export function IssuerAudiencesField({
  idPrefix: id,
  error,
  anyAudienceError,
}: {
  idPrefix: string;
  error?: string;
  anyAudienceError?: string;
}) {
  const form = useFormContext<TIssuerFormInput>();
  const { errors } = form.formState;
  const anyAudience = useWatch({ control: form.control, name: 'anyAudience' });
  return (
    <div className="grid gap-3">
      {anyAudience ? null : (
        <Controller
          control={form.control}
          name="audiences"
          render={({ field }) => (
            <StringList
              id={`${id}-aud`}
              legend="Expected audiences"
              hint="Its tokens must name one of these in aud: the audience this STS has at the issuer. An ID token made for another application names that application instead."
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
      )}
      <Controller
        control={form.control}
        name="anyAudience"
        render={({ field }) => (
          <CheckboxField
            id={`${id}-any-aud`}
            label="Accept any audience (not recommended)"
            hint="Its tokens are accepted whatever their aud, including ID tokens and access tokens made for other applications. Only for an issuer that gives no usable aud."
            checked={Boolean(field.value)}
            onChange={(checked) => {
              field.onChange(checked);
              if (checked) form.setValue('audiences', [], { shouldValidate: true });
            }}
          />
        )}
      />
      {anyAudienceError ? (
        <p role="alert" className="text-xs text-destructive">
          {anyAudienceError}
        </p>
      ) : null}
    </div>
  );
}
