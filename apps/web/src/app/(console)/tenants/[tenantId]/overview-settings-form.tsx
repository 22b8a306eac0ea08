'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { SIGNING_ALGS } from '@sts/core/config';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, fieldErrors, useTRPC } from '~/lib/trpc';
import { ZTenantSettingsSchema } from '~/server/trpc/routers/tenant/tenant.schema';
import { readOnlyNote } from './read-only-note';

const ZSettingsFormSchema = ZTenantSettingsSchema.omit({ id: true });
type TSettingsInput = z.input<typeof ZSettingsFormSchema>;
type TSettings = z.output<typeof ZSettingsFormSchema>;

/** Display name, token lifetime, signing algorithm and key rotation period (tenant.update). */
export function TenantSettingsForm({
  tenantId,
  settings,
  canWrite,
  fileManaged = false,
}: {
  tenantId: string;
  settings: TSettings;
  canWrite: boolean;
  /** Read-only because the configuration file manages the tenant (not the role). */
  fileManaged?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<TSettingsInput, unknown, TSettings>({
    resolver: zodResolver(ZSettingsFormSchema),
    values: settings,
    resetOptions: { keepDirtyValues: true },
  });
  const update = useMutation(
    trpc.tenant.update.mutationOptions({
      onSuccess: async (_data, variables) => {
        form.reset({
          displayName: variables.displayName,
          accessTokenTtlSeconds: variables.accessTokenTtlSeconds,
          signingAlg: variables.signingAlg,
          keyRotationDays: variables.keyRotationDays,
        });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.tenant.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.key.list.queryKey({ tenantId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.key.schedule.queryKey({ tenantId }) }),
        ]);
      },
    }),
  );
  const { errors, isDirty } = form.formState;
  const server = fieldErrors(update.error);
  const error = (name: keyof TSettings) => errors[name]?.message ?? server[name]?.[0];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Settings</CardTitle>
        <CardDescription>
          {canWrite
            ? 'Running STS processes pick up changes within about a second.'
            : readOnlyNote(fileManaged).trim()}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid max-w-xl gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => update.mutate({ tenantId, ...values }))}
        >
          {update.isError ? <ErrorState message={errorMessage(update.error)} /> : null}
          {update.isSuccess && !isDirty ? (
            <p role="status" className="text-sm text-success">
              Saved.
            </p>
          ) : null}
          <fieldset disabled={!canWrite} className="grid gap-4">
            <Field id="settings-name" label="Display name" error={error('displayName')}>
              <Input
                id="settings-name"
                aria-invalid={Boolean(error('displayName'))}
                aria-describedby={error('displayName') ? 'settings-name-error' : undefined}
                {...form.register('displayName')}
              />
            </Field>
            <Field
              id="settings-ttl"
              label="Token lifetime (seconds)"
              hint="Default lifetime of issued tokens; rules may shorten it. 1 to 86400."
              error={error('accessTokenTtlSeconds')}
            >
              <Input
                id="settings-ttl"
                type="number"
                min={1}
                max={86_400}
                aria-invalid={Boolean(error('accessTokenTtlSeconds'))}
                aria-describedby={error('accessTokenTtlSeconds') ? 'settings-ttl-error' : undefined}
                {...form.register('accessTokenTtlSeconds', { valueAsNumber: true })}
              />
            </Field>
            <Field
              id="settings-alg"
              label="Signing algorithm"
              hint="Changing it makes the STS create a key of the new algorithm; the old key keeps verifying."
              error={error('signingAlg')}
            >
              <NativeSelect
                id="settings-alg"
                aria-invalid={Boolean(error('signingAlg'))}
                {...form.register('signingAlg')}
              >
                {SIGNING_ALGS.map((alg) => (
                  <option key={alg}>{alg}</option>
                ))}
              </NativeSelect>
            </Field>
            <Field
              id="settings-rotation"
              label="Rotate the signing key every (days)"
              hint="The STS rotates the key when it has signed this long (the new key is published first). Empty: only when rotated by hand. 1 to 3650."
              error={error('keyRotationDays')}
            >
              <Input
                id="settings-rotation"
                type="number"
                min={1}
                max={3650}
                placeholder="off"
                aria-invalid={Boolean(error('keyRotationDays'))}
                aria-describedby={error('keyRotationDays') ? 'settings-rotation-error' : undefined}
                {...form.register('keyRotationDays', {
                  // Empty means off: undefined, which the schema allows, not NaN.
                  setValueAs: (v: unknown) =>
                    v === '' || v === null || v === undefined ? undefined : Number(v),
                })}
              />
            </Field>
            {canWrite ? (
              <div>
                <Button type="submit" disabled={update.isPending || !isDirty}>
                  {update.isPending ? 'Saving…' : 'Save settings'}
                </Button>
              </div>
            ) : null}
          </fieldset>
        </form>
      </CardContent>
    </Card>
  );
}
