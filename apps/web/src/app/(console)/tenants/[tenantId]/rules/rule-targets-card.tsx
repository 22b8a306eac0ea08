'use client';

import { Controller } from 'react-hook-form';
import { StringList } from '~/components/form/string-list';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { itemMessages } from '~/lib/form-helpers';
import { useRuleForm } from './use-rule-form';

/** Targets: the audiences a request may name, exactly or by prefix, and the default ones. */
export function RuleTargetsCard() {
  const { control, formState } = useRuleForm();
  const { errors } = formState;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Targets</CardTitle>
        <CardDescription>The audience or resource values a request may name.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <Controller
          control={control}
          name="audiences"
          render={({ field }) => (
            <StringList
              id="rule-audiences"
              legend="Audiences"
              hint="Allowed exactly."
              error={errors.audiences?.message}
              itemErrors={itemMessages(errors.audiences, field.value?.length ?? 0)}
              value={field.value ?? []}
              onChange={field.onChange}
              placeholder="https://orders.example"
            />
          )}
        />
        <Controller
          control={control}
          name="audiencePrefixes"
          render={({ field }) => (
            <StringList
              id="rule-audience-prefixes"
              legend="Audience prefixes"
              hint='Allowed by prefix; must end with "/" or ":".'
              error={errors.audiencePrefixes?.message}
              itemErrors={itemMessages(errors.audiencePrefixes, field.value?.length ?? 0)}
              value={field.value ?? []}
              onChange={field.onChange}
              placeholder="https://api.example/"
            />
          )}
        />
        <Controller
          control={control}
          name="defaultAudiences"
          render={({ field }) => (
            <StringList
              id="rule-default-audiences"
              legend="Default audiences"
              hint="The issued token's audience when the request names none; each must be allowed above."
              error={errors.defaultAudiences?.message}
              itemErrors={itemMessages(errors.defaultAudiences, field.value?.length ?? 0)}
              value={field.value ?? []}
              onChange={field.onChange}
              placeholder="https://orders.example"
            />
          )}
        />
      </CardContent>
    </Card>
  );
}
