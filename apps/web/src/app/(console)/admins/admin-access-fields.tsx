'use client';

import { useQuery } from '@tanstack/react-query';
import { Controller, useFormContext } from 'react-hook-form';
import { ChoiceList } from '~/components/form/choice-list';
import { Field } from '~/components/ui/field';
import { NativeSelect } from '~/components/ui/input';
import { messageOf } from '~/lib/form-helpers';
import { useTRPC } from '~/lib/trpc';
import {
  ADMIN_ROLES,
  ROLE_LABELS,
  type TAdminRole,
} from '~/server/trpc/routers/admin/admin.schema';

const ROLE_HINTS: Record<TAdminRole, string> = {
  owner: 'Every tenant, and the console’s admins.',
  tenant_admin: 'Changes the chosen tenants.',
  viewer: 'Reads the chosen tenants; changes nothing.',
};

/** Role and, for tenant admins and viewers, their tenants: inside the invite and edit forms. */
export function AdminAccessFields({ idPrefix: id }: { idPrefix: string }) {
  const form = useFormContext<{ role: TAdminRole; tenantIds: string[] }>();
  const trpc = useTRPC();
  const tenants = useQuery(trpc.tenant.list.queryOptions());
  const role = form.watch('role');
  const { errors } = form.formState;
  return (
    <>
      <Field id={`${id}-role`} label="Role" hint={ROLE_HINTS[role]} error={errors.role?.message}>
        <NativeSelect id={`${id}-role`} {...form.register('role')}>
          {ADMIN_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </NativeSelect>
      </Field>
      {role === 'owner' ? null : (
        <Controller
          control={form.control}
          name="tenantIds"
          render={({ field }) => (
            <ChoiceList
              id={`${id}-tenants`}
              legend="Tenants"
              hint={tenants.isPending ? 'Loading tenants…' : 'The tenants this admin may see.'}
              error={messageOf(errors.tenantIds)}
              options={(tenants.data ?? []).map((t) => ({
                value: t.id,
                label: (
                  <>
                    {t.displayName} <span className="font-mono text-xs">({t.id})</span>
                  </>
                ),
              }))}
              value={field.value}
              onChange={field.onChange}
              unknownHint="no longer exists"
            />
          )}
        />
      )}
    </>
  );
}
