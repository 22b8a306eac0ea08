'use client';

import { Controller, type UseFormReturn } from 'react-hook-form';
import { StringList } from '~/components/form/string-list';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect } from '~/components/ui/input';
import {
  ISSUABLE_TOKEN_TYPE_VALUES,
  type TSimulatorForm,
  type TSimulatorFormInput,
} from '~/server/trpc/routers/simulator/simulator.schema';
import { TOKEN_TYPE_LABELS } from '../rules/rule-draft';

type Form = UseFormReturn<TSimulatorFormInput, unknown, TSimulatorForm>;

/** The request's own parameters: its targets (audience, resource), scope, requested type. */
export function RequestFields({ form }: { form: Form }) {
  const { errors } = form.formState;
  return (
    <div className="grid gap-4 rounded-md border p-3">
      <p className="text-sm font-medium">Request</p>
      <Controller
        control={form.control}
        name="audiences"
        render={({ field }) => (
          <StringList
            id="sim-audiences"
            legend="audience"
            hint="Repeatable. Logical names or URIs of the target service."
            error={errors.audiences?.message}
            value={field.value ?? []}
            onChange={field.onChange}
            placeholder="https://orders.example"
          />
        )}
      />
      <Controller
        control={form.control}
        name="resources"
        render={({ field }) => (
          <StringList
            id="sim-resources"
            legend="resource"
            hint="Repeatable. Absolute URIs (RFC 8707)."
            error={errors.resources?.message}
            value={field.value ?? []}
            onChange={field.onChange}
            placeholder="https://orders.example/api"
          />
        )}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="sim-scope"
          label="scope"
          hint="Space-separated; empty: not sent."
          error={errors.scope?.message}
        >
          <Input id="sim-scope" aria-invalid={Boolean(errors.scope)} {...form.register('scope')} />
        </Field>
        <Field
          id="sim-requested-type"
          label="requested_token_type"
          error={errors.requestedTokenType?.message}
        >
          <NativeSelect id="sim-requested-type" {...form.register('requestedTokenType')}>
            <option value="">Not sent (access token)</option>
            {ISSUABLE_TOKEN_TYPE_VALUES.map((t) => (
              <option key={t} value={t}>
                {TOKEN_TYPE_LABELS[t] ?? t} ({t})
              </option>
            ))}
          </NativeSelect>
        </Field>
      </div>
    </div>
  );
}
