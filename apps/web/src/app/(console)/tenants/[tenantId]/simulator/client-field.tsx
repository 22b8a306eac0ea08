'use client';

import type { UseFormReturn } from 'react-hook-form';
import { Field } from '~/components/ui/field';
import { NativeSelect } from '~/components/ui/input';
import type {
  TSimulatorForm,
  TSimulatorFormInput,
} from '~/server/trpc/routers/simulator/simulator.schema';

type Form = UseFormReturn<TSimulatorFormInput, unknown, TSimulatorForm>;

export interface SimulatorClient {
  clientId: string;
  displayName: string | null;
  disabled: boolean;
  allowTokenExchange: boolean;
}

/** The client the simulated request comes from, as if it had authenticated. */
export function ClientField({ form, clients }: { form: Form; clients: SimulatorClient[] }) {
  const { errors } = form.formState;
  return (
    <Field
      id="sim-client"
      label="Client"
      hint="As if this client had authenticated."
      error={errors.clientId?.message}
    >
      <NativeSelect
        id="sim-client"
        aria-invalid={Boolean(errors.clientId)}
        {...form.register('clientId')}
      >
        {clients.map((c) => (
          <option key={c.clientId} value={c.clientId}>
            {c.clientId}
            {c.displayName ? ` — ${c.displayName}` : ''}
            {c.disabled ? ' (disabled)' : ''}
            {!c.allowTokenExchange ? ' (no token exchange)' : ''}
          </option>
        ))}
      </NativeSelect>
    </Field>
  );
}
