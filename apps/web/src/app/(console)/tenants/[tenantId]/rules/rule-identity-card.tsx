'use client';

import { Controller } from 'react-hook-form';
import { CheckboxField } from '~/components/form/checkbox-field';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Textarea } from '~/components/ui/input';
import { useRuleForm } from './use-rule-form';

/** The rule's id, description and disabled flag; titled after the rule being edited. */
export function RuleIdentityCard({ ruleId }: { ruleId?: string }) {
  const form = useRuleForm();
  const { errors } = form.formState;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{ruleId ? `Rule ${ruleId}` : 'New rule'}</CardTitle>
        <CardDescription>
          A rule grants an exchange when every one of its conditions holds. Rules are tried in
          order; the first that matches decides.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Field
          id="rule-id"
          label="Id"
          hint="Lower-case letters, digits, - and _. Recorded with every decision."
          error={errors.id?.message}
        >
          <Input id="rule-id" aria-invalid={Boolean(errors.id)} {...form.register('id')} />
        </Field>
        <Field id="rule-description" label="Description" error={errors.description?.message}>
          <Textarea
            id="rule-description"
            className="font-sans text-sm"
            rows={2}
            aria-invalid={Boolean(errors.description)}
            {...form.register('description')}
          />
        </Field>
        <Controller
          control={form.control}
          name="disabled"
          render={({ field }) => (
            <CheckboxField
              id="rule-disabled"
              label="Disabled"
              hint="A disabled rule is skipped; it stays in its place."
              checked={Boolean(field.value)}
              onChange={field.onChange}
            />
          )}
        />
      </CardContent>
    </Card>
  );
}
