'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { SIGNING_ALGS } from '@sts/core/config';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TTenantSettings,
  type TTenantSettingsInput,
  ZTenantSettingsSchema,
} from '~/server/trpc/routers/tenant/tenant.schema';

export function CreateTenantDialog() {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useForm<TTenantSettingsInput, unknown, TTenantSettings>({
    resolver: zodResolver(ZTenantSettingsSchema),
    defaultValues: { id: '', displayName: '', accessTokenTtlSeconds: 300, signingAlg: 'ES256' },
  });
  const create = useMutation(
    trpc.tenant.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.tenant.list.queryKey() });
        setOpen(false);
        form.reset();
        router.push(`/tenants/${id}`);
      },
    }),
  );
  const { errors } = form.formState;
  const formError = useServerErrors(form, create);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>New tenant</Button>
      </DialogTrigger>
      <DialogContent
        title="New tenant"
        description="A tenant is one issuer with its own clients, trust and rules."
      >
        <form
          className="grid gap-4"
          onSubmit={form.handleSubmit((values) => create.mutate(values))}
          noValidate
        >
          {formError ? <ErrorState message={formError} /> : null}
          <Field
            id="tenant-id"
            label="Id"
            hint="Lower-case letters, digits, - and _. Part of the issuer URL."
            error={errors.id?.message}
          >
            <Input id="tenant-id" aria-invalid={Boolean(errors.id)} {...form.register('id')} />
          </Field>
          <Field id="tenant-name" label="Display name" error={errors.displayName?.message}>
            <Input
              id="tenant-name"
              aria-invalid={Boolean(errors.displayName)}
              {...form.register('displayName')}
            />
          </Field>
          <Field
            id="tenant-ttl"
            label="Token lifetime (seconds)"
            error={errors.accessTokenTtlSeconds?.message}
          >
            <Input
              id="tenant-ttl"
              type="number"
              aria-invalid={Boolean(errors.accessTokenTtlSeconds)}
              {...form.register('accessTokenTtlSeconds', { valueAsNumber: true })}
            />
          </Field>
          <Field id="tenant-alg" label="Signing algorithm" error={errors.signingAlg?.message}>
            <NativeSelect id="tenant-alg" {...form.register('signingAlg')}>
              {SIGNING_ALGS.map((alg) => (
                <option key={alg}>{alg}</option>
              ))}
            </NativeSelect>
          </Field>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create tenant'}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
