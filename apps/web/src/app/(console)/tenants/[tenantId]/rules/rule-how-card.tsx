'use client';

import { Controller, useWatch } from 'react-hook-form';
import { CheckboxField } from '~/components/form/checkbox-field';
import { NumberInput } from '~/components/form/number-input';
import { RadioList } from '~/components/form/radio-list';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { itemMessages } from '~/lib/form-helpers';
import { ActorsField } from './actors-field';
import { useRuleForm } from './use-rule-form';

const MODES = [
  ['delegation', 'Delegation: the issued token names the actor (act)'],
  ['impersonation', 'Impersonation: the issued token is the subject alone; no actor token'],
] as const;

/** How: delegation or impersonation, who may act, and how deep the actor chain may grow. */
export function RuleHowCard({ trustedIssuers }: { trustedIssuers: string[] }) {
  const form = useRuleForm();
  const { control } = form;
  const { errors } = form.formState;
  const delegation = useWatch({ control, name: 'mode' }) === 'delegation';
  return (
    <Card>
      <CardHeader>
        <CardTitle>How</CardTitle>
        <CardDescription>
          Delegation names the actor in act; impersonation does not.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <Controller
          control={control}
          name="mode"
          render={({ field }) => (
            <RadioList
              id="rule-mode"
              name={field.name}
              legend="Mode"
              error={errors.mode?.message}
              options={MODES}
              value={field.value}
              onChange={(mode) => {
                field.onChange(mode);
                // Impersonation takes no actors; delegation starts with the client.
                form.setValue('actors', mode === 'impersonation' ? [] : ['client'], {
                  shouldValidate: true,
                });
                if (mode === 'delegation') form.setValue('impersonateDelegated', false);
              }}
            />
          )}
        />
        {delegation ? (
          <Controller
            control={control}
            name="actors"
            render={({ field }) => (
              <ActorsField
                id="rule-actors"
                error={errors.actors?.message ?? errors.actors?.root?.message}
                entryErrors={itemMessages(errors.actors, field.value?.length ?? 0)}
                value={field.value ?? []}
                onChange={field.onChange}
                issuerOptions={['self', ...trustedIssuers]}
              />
            )}
          />
        ) : errors.actors?.message ? (
          <p role="alert" className="text-xs text-destructive">
            {errors.actors.message}
          </p>
        ) : null}
        {delegation ? null : (
          <Controller
            control={control}
            name="impersonateDelegated"
            render={({ field }) => (
              <CheckboxField
                id="rule-impersonate-delegated"
                label="Accept delegated subject tokens (with act)"
                hint="Off: a subject token that already names actors is refused. On: it is accepted and the issued token keeps its act chain unchanged, so an earlier actor stays outermost although the caller is not named."
                checked={Boolean(field.value)}
                onChange={field.onChange}
              />
            )}
          />
        )}
        <Controller
          control={control}
          name="maxChainDepth"
          render={({ field }) => (
            <Field
              id="rule-max-chain-depth"
              label="Maximum actor chain depth"
              hint="Actors in the issued token's act chain, the new one included (0 to 5)."
              error={errors.maxChainDepth?.message}
            >
              <NumberInput
                id="rule-max-chain-depth"
                min={0}
                max={5}
                className="w-32"
                aria-invalid={Boolean(errors.maxChainDepth)}
                value={field.value}
                empty={Number.NaN}
                onChange={field.onChange}
                onBlur={field.onBlur}
              />
            </Field>
          )}
        />
      </CardContent>
    </Card>
  );
}
