'use client';

import { Controller, useWatch } from 'react-hook-form';
import { CheckboxField } from '~/components/form/checkbox-field';
import { ChoiceList } from '~/components/form/choice-list';
import { NumberInput } from '~/components/form/number-input';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { messageOf } from '~/lib/form-helpers';
import { SUBJECT_TOKEN_TYPE_VALUES } from '~/server/trpc/routers/simulator/simulator.schema';
import { tokenTypeOption } from './token-type-option';
import { useRuleForm } from './use-rule-form';

/** Who: the clients that may exchange, the subject token's issuers and token types. */
export function RuleWhoCard({
  clientIds,
  trustedIssuers,
}: {
  clientIds: string[];
  trustedIssuers: string[];
}) {
  const { control, formState } = useRuleForm();
  const { errors } = formState;
  const acceptsSelf = (useWatch({ control, name: 'subjectIssuers' }) ?? []).includes('self');
  const clientOptions = [
    { value: '*', label: 'Any client of the tenant (*)' },
    ...clientIds.map((id) => ({ value: id, label: <span className="font-mono">{id}</span> })),
  ];
  const issuerOptions = [
    { value: 'self', label: 'Tokens this tenant issued (self)' },
    ...trustedIssuers.map((i) => ({ value: i, label: <span className="font-mono">{i}</span> })),
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Who</CardTitle>
        <CardDescription>The clients that may exchange, and whose tokens.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <Controller
          control={control}
          name="clients"
          render={({ field }) => (
            <ChoiceList
              id="rule-clients"
              legend="Clients"
              hint="The authenticated client must be one of these."
              error={messageOf(errors.clients)}
              options={clientOptions}
              value={field.value ?? []}
              onChange={field.onChange}
              customPlaceholder="Another client id"
              unknownHint="not a client of this tenant"
            />
          )}
        />
        <Controller
          control={control}
          name="subjectIssuers"
          render={({ field }) => (
            <ChoiceList
              id="rule-subject-issuers"
              legend="Subject issuers"
              hint="The subject token must come from one of these."
              error={messageOf(errors.subjectIssuers)}
              options={issuerOptions}
              value={field.value ?? []}
              onChange={field.onChange}
              customPlaceholder="Another issuer URL"
              unknownHint="not a trusted issuer: its tokens are refused"
            />
          )}
        />
        <Controller
          control={control}
          name="subjectTokenTypes"
          render={({ field }) => (
            <ChoiceList
              id="rule-subject-token-types"
              legend="Subject token types"
              hint="Accepted subject_token_type values."
              error={messageOf(errors.subjectTokenTypes)}
              options={SUBJECT_TOKEN_TYPE_VALUES.map(tokenTypeOption)}
              value={field.value ?? []}
              onChange={field.onChange}
            />
          )}
        />
        {acceptsSelf ? (
          <Controller
            control={control}
            name="anyHolder"
            render={({ field }) => (
              <CheckboxField
                id="rule-any-holder"
                label="Any client of the rule may exchange this tenant's tokens again"
                hint="Off: only the token's holder may, a client named in its aud or its client_id. On: any client listed above, whatever the token's aud."
                checked={Boolean(field.value)}
                onChange={field.onChange}
              />
            )}
          />
        ) : null}
        <Controller
          control={control}
          name="maxSubjectAgeSeconds"
          render={({ field }) => (
            <Field
              id="rule-max-subject-age"
              label="Maximum subject token age (seconds)"
              hint="Empty: no limit. Measured from the token's iat; a token without iat is then refused."
              error={errors.maxSubjectAgeSeconds?.message}
            >
              <NumberInput
                id="rule-max-subject-age"
                min={1}
                max={31_536_000}
                className="w-40"
                aria-invalid={Boolean(errors.maxSubjectAgeSeconds)}
                value={field.value}
                empty={undefined}
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
