'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent } from '~/components/ui/dialog';
import { ErrorState } from '~/components/ui/states';
import { useServerErrors } from '~/lib/form-errors';
import { useTRPC } from '~/lib/trpc';
import {
  type TAdminRole,
  type TUpdateAdmin,
  type TUpdateAdminInput,
  ZUpdateAdminSchema,
} from '~/server/trpc/routers/admin/admin.schema';
import { AdminAccessFields } from './admin-access-fields';

/** Role and tenants of one admin; opened from the row's menu. */
export function EditAdminDialog({
  admin,
  open,
  onOpenChange,
  onSaved,
}: {
  admin: { id: string; email: string; role: TAdminRole; tenantIds: string[] };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const form = useForm<TUpdateAdminInput, unknown, TUpdateAdmin>({
    resolver: zodResolver(ZUpdateAdminSchema),
    defaultValues: { adminId: admin.id, role: admin.role, tenantIds: admin.tenantIds },
  });
  const update = useMutation(
    trpc.admin.update.mutationOptions({
      onSuccess: async () => {
        onOpenChange(false);
        await onSaved();
      },
    }),
  );
  // Each opening starts from the admin as listed now.
  const { reset } = form;
  const resetUpdate = update.reset;
  useEffect(() => {
    if (!open) return;
    reset({ adminId: admin.id, role: admin.role, tenantIds: admin.tenantIds });
    resetUpdate();
  }, [open, admin.id, admin.role, admin.tenantIds, reset, resetUpdate]);
  const formError = useServerErrors(form, update);
  const id = useId();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={`Edit ${admin.email}`}
        description="From their next request they see and may change only what this allows."
      >
        <FormProvider {...form}>
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit((values) => update.mutate(values))}
          >
            {formError ? <ErrorState message={formError} /> : null}
            <AdminAccessFields idPrefix={id} />
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save'}
            </Button>
          </form>
        </FormProvider>
      </DialogContent>
    </Dialog>
  );
}
