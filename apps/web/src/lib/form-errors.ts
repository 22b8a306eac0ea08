'use client';

import { useEffect } from 'react';
import type { FieldPath, FieldValues, UseFormReturn } from 'react-hook-form';
import { errorMessage, fieldErrors } from './trpc';

/**
 * A mutation's errors on a form: the server's field errors (its input checks, a taken id) go
 * next to their fields; anything else is the form's own error, returned to show above it. Both
 * are forgotten as soon as the admin edits the form, so a message never outlives its cause.
 */
export function useServerErrors<T extends FieldValues, C = unknown, O = T>(
  form: UseFormReturn<T, C, O>,
  mutation: { error: unknown; reset(): void },
): string | undefined {
  const { error } = mutation;
  const byField = fieldErrors(error);

  useEffect(() => {
    for (const [field, messages] of Object.entries(fieldErrors(error)))
      if (messages?.[0])
        form.setError(field as FieldPath<T>, { type: 'server', message: messages[0] });
  }, [error, form]);

  useEffect(() => {
    if (!error) return;
    const subscription = form.watch(() => mutation.reset());
    return () => subscription.unsubscribe();
  }, [error, form, mutation]);

  return error && Object.keys(byField).length === 0 ? errorMessage(error) : undefined;
}
