'use client';

import { Controller } from 'react-hook-form';
import { RadioList } from '~/components/form/radio-list';
import { StringList } from '~/components/form/string-list';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { itemMessages } from '~/lib/form-helpers';
import { useRuleForm } from './use-rule-form';

const UNSCOPED = [
  ['no_scope', 'No scope: a subject token without a scope claim holds none'],
  [
    'rule_scopes',
    "The rule's scopes: only for issuers whose access tokens never carry a scope claim",
  ],
] as const;

const SCOPE_MODES = [
  ['narrow', 'Narrow: grant what is allowed and return the granted scope'],
  ['reject', 'Reject: refuse the request with invalid_scope'],
] as const;

/** Scope: the scopes the rule may grant, and what happens to a request asking for more. */
export function RuleScopeCard() {
  const { control, formState } = useRuleForm();
  const { errors } = formState;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Scope</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-5">
        <Controller
          control={control}
          name="scopes"
          render={({ field }) => (
            <StringList
              id="rule-scopes"
              legend="Scopes"
              hint="May be granted, further limited by the subject token's own scope."
              error={errors.scopes?.message}
              itemErrors={itemMessages(errors.scopes, field.value?.length ?? 0)}
              value={field.value ?? []}
              onChange={field.onChange}
              placeholder="orders:read"
            />
          )}
        />
        <Controller
          control={control}
          name="unscopedSubjects"
          render={({ field }) => (
            <RadioList
              id="rule-unscoped-subjects"
              name={field.name}
              legend="Subject token without a scope claim"
              error={errors.unscopedSubjects?.message}
              options={UNSCOPED}
              value={field.value ?? 'no_scope'}
              onChange={field.onChange}
            />
          )}
        />
        <Controller
          control={control}
          name="scopeMode"
          render={({ field }) => (
            <RadioList
              id="rule-scope-mode"
              name={field.name}
              legend="Scope beyond the rule"
              error={errors.scopeMode?.message}
              options={SCOPE_MODES}
              value={field.value ?? 'narrow'}
              onChange={field.onChange}
            />
          )}
        />
      </CardContent>
    </Card>
  );
}
