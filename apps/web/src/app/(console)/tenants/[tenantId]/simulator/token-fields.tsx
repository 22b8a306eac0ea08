'use client';

import type { ComposeIssuer } from '@sts/console';
import { Controller, type FieldErrors, type UseFormReturn, useWatch } from 'react-hook-form';
import { FieldGroup } from '~/components/form/field-group';
import { StringList } from '~/components/form/string-list';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import {
  SUBJECT_TOKEN_TYPE_VALUES,
  type TSimulatorForm,
  type TSimulatorFormInput,
  type TTokenFormInput,
} from '~/server/trpc/routers/simulator/simulator.schema';
import { TOKEN_TYPE_LABELS } from '../rules/rule-draft';

type Form = UseFormReturn<TSimulatorFormInput, unknown, TSimulatorForm>;

const SOURCE_LABELS = {
  none: 'None',
  compose: 'Compose',
  paste: 'Paste a token',
} as const;

const ISSUER_LABELS: Record<ComposeIssuer['kind'], (issuer: string) => string> = {
  trusted: (issuer) => issuer,
  self: (issuer) => `This tenant (${issuer})`,
  test: (issuer) => `The test issuer (${issuer})`,
};

/** The subject or actor token: composed (as a trusted issuer, the tenant or the test issuer) or pasted. */
export function TokenFields({
  form,
  which,
  issuers,
}: {
  form: Form;
  which: 'subject' | 'actor';
  issuers: ComposeIssuer[];
}) {
  const source = useWatch({ control: form.control, name: `${which}.source` });
  const issuer = useWatch({ control: form.control, name: `${which}.issuer` });
  const kind = issuers.find((i) => i.issuer === issuer)?.kind;
  const errors = (form.formState.errors[which] ?? {}) as FieldErrors<TTokenFormInput>;
  const id = `sim-${which}`;
  const sources =
    which === 'actor' ? (['none', 'compose', 'paste'] as const) : (['compose', 'paste'] as const);
  const audienceErrors = errors.audiences as unknown as
    | Record<number, { message?: string }>
    | undefined;
  return (
    <div className="grid gap-4">
      <FieldGroup
        id={`${id}-source`}
        legend={which === 'subject' ? 'Subject token' : 'Actor token'}
        error={errors.source?.message}
      >
        <div className="flex flex-wrap gap-4">
          {sources.map((s) => (
            <div key={s} className="flex items-center gap-2">
              <input
                id={`${id}-source-${s}`}
                type="radio"
                value={s}
                className="size-4 accent-primary"
                {...form.register(`${which}.source`)}
              />
              <Label htmlFor={`${id}-source-${s}`} className="font-normal">
                {SOURCE_LABELS[s]}
              </Label>
            </div>
          ))}
        </div>
      </FieldGroup>
      {source === 'none' ? null : (
        <Field id={`${id}-type`} label={`${which}_token_type`} error={errors.tokenType?.message}>
          <NativeSelect id={`${id}-type`} {...form.register(`${which}.tokenType`)}>
            {SUBJECT_TOKEN_TYPE_VALUES.map((t) => (
              <option key={t} value={t}>
                {TOKEN_TYPE_LABELS[t] ?? t} ({t})
              </option>
            ))}
          </NativeSelect>
        </Field>
      )}
      {source === 'paste' ? (
        <Field
          id={`${id}-token`}
          label="Token"
          hint="A JWT. It is sent to the console's server for this run only, never stored."
          error={errors.token?.message}
        >
          <Textarea
            id={`${id}-token`}
            rows={4}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={Boolean(errors.token)}
            {...form.register(`${which}.token`)}
          />
        </Field>
      ) : null}
      {source === 'compose' ? (
        <div className="grid gap-4 rounded-md border p-3">
          <Field
            id={`${id}-issuer`}
            label="Issuer (iss)"
            hint={
              kind === 'test'
                ? 'Signed with ES256 by the test issuer: once the tenant trusts it, the token works with the real STS too.'
                : 'Signed with a key made for this simulation only: nothing is trusted or changed, and the token is useless elsewhere.'
            }
            error={errors.issuer?.message}
          >
            <NativeSelect
              id={`${id}-issuer`}
              aria-invalid={Boolean(errors.issuer)}
              {...form.register(`${which}.issuer`, {
                // The aud the newly chosen issuer's tokens must carry, if it names any.
                onChange: (event: { target: { value: string } }) => {
                  const chosen = issuers.find((i) => i.issuer === event.target.value);
                  if (chosen?.audiences.length)
                    form.setValue(`${which}.audiences`, chosen.audiences.slice(0, 1));
                },
              })}
            >
              {issuers.map((i) => (
                <option key={i.issuer} value={i.issuer}>
                  {ISSUER_LABELS[i.kind](i.issuer)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id={`${id}-sub`} label="sub" error={errors.sub?.message}>
              <Input
                id={`${id}-sub`}
                aria-invalid={Boolean(errors.sub)}
                {...form.register(`${which}.sub`)}
              />
            </Field>
            <Field
              id={`${id}-scope`}
              label="scope"
              hint="Space-separated; empty: no scope claim."
              error={errors.scope?.message}
            >
              <Input
                id={`${id}-scope`}
                aria-invalid={Boolean(errors.scope)}
                {...form.register(`${which}.scope`)}
              />
            </Field>
          </div>
          <Controller
            control={form.control}
            name={`${which}.audiences`}
            render={({ field }) => (
              <StringList
                id={`${id}-aud`}
                legend="aud"
                hint="Empty: no aud claim. A trusted issuer with audiences requires one of them."
                error={errors.audiences?.message}
                itemErrors={Array.from(
                  { length: field.value?.length ?? 0 },
                  (_, i) => audienceErrors?.[i]?.message,
                )}
                value={field.value ?? []}
                onChange={field.onChange}
                placeholder="https://sts.example/t/acme"
              />
            )}
          />
          <Field
            id={`${id}-extra`}
            label="More claims (JSON)"
            hint='e.g. {"email": "ada@example.com", "may_act": {"sub": "gateway"}}; iss, sub, aud, scope, iat, exp and jti are set above.'
            error={errors.extraClaims?.message}
          >
            <Textarea
              id={`${id}-extra`}
              rows={3}
              spellCheck={false}
              aria-invalid={Boolean(errors.extraClaims)}
              {...form.register(`${which}.extraClaims`)}
            />
          </Field>
          <Controller
            control={form.control}
            name={`${which}.lifetimeSeconds`}
            render={({ field }) => (
              <Field
                id={`${id}-lifetime`}
                label="Lifetime (seconds)"
                hint="exp = now + lifetime; negative for an expired token."
                error={errors.lifetimeSeconds?.message}
              >
                <Input
                  id={`${id}-lifetime`}
                  type="number"
                  className="w-40"
                  aria-invalid={Boolean(errors.lifetimeSeconds)}
                  value={Number.isNaN(field.value) ? '' : field.value}
                  onChange={(e) =>
                    field.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))
                  }
                  onBlur={field.onBlur}
                />
              </Field>
            )}
          />
        </div>
      ) : null}
    </div>
  );
}
