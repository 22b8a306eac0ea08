'use client';

import { Controller } from 'react-hook-form';
import { CheckboxField } from '~/components/form/checkbox-field';
import { ChoiceList } from '~/components/form/choice-list';
import { NumberInput } from '~/components/form/number-input';
import { StringList } from '~/components/form/string-list';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { itemMessages, messageOf } from '~/lib/form-helpers';
import { ISSUABLE_TOKEN_TYPE_VALUES } from '~/server/trpc/routers/simulator/simulator.schema';
import { tokenTypeOption } from './token-type-option';
import { useRuleForm } from './use-rule-form';

/** The issued token: its types, lifetime, expiry past the subject token's, carried claims. */
export function RuleIssuedTokenCard() {
  const { control, formState } = useRuleForm();
  const { errors } = formState;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Issued token</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-5">
        <Controller
          control={control}
          name="requestedTokenTypes"
          render={({ field }) => (
            <ChoiceList
              id="rule-requested-token-types"
              legend="Token types it may issue"
              hint="requested_token_type values (access_token when the request names none)."
              error={messageOf(errors.requestedTokenTypes)}
              options={ISSUABLE_TOKEN_TYPE_VALUES.map(tokenTypeOption)}
              value={field.value ?? []}
              onChange={field.onChange}
            />
          )}
        />
        <Controller
          control={control}
          name="maxTtlSeconds"
          render={({ field }) => (
            <Field
              id="rule-max-ttl"
              label="Maximum lifetime (seconds)"
              hint="Empty: the tenant's token lifetime. At most 86400."
              error={errors.maxTtlSeconds?.message}
            >
              <NumberInput
                id="rule-max-ttl"
                min={1}
                max={86_400}
                className="w-40"
                aria-invalid={Boolean(errors.maxTtlSeconds)}
                value={field.value}
                empty={undefined}
                onChange={field.onChange}
                onBlur={field.onBlur}
              />
            </Field>
          )}
        />
        <Controller
          control={control}
          name="allowBeyondSubjectExpiry"
          render={({ field }) => (
            <CheckboxField
              id="rule-beyond-expiry"
              label="May outlive the subject token"
              hint="Off: the issued token expires no later than the subject token."
              checked={Boolean(field.value)}
              onChange={field.onChange}
            />
          )}
        />
        <Controller
          control={control}
          name="carryClaims"
          render={({ field }) => (
            <StringList
              id="rule-carry-claims"
              legend="Carried claims"
              hint="Subject token claims copied into the issued token (registered claims never are)."
              error={errors.carryClaims?.message}
              itemErrors={itemMessages(errors.carryClaims, field.value?.length ?? 0)}
              value={field.value ?? []}
              onChange={field.onChange}
              placeholder="email"
            />
          )}
        />
      </CardContent>
    </Card>
  );
}
