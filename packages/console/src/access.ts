import type { Admin } from '@sts/db';

/** What an admin may do in a tenant, by role: owners everything, members by their role. */

export function canRead(admin: Admin, tenantId: string): boolean {
  return admin.role === 'owner' || admin.tenantIds.includes(tenantId);
}

export function canWrite(admin: Admin, tenantId: string): boolean {
  return (
    admin.role === 'owner' || (admin.role === 'tenant_admin' && admin.tenantIds.includes(tenantId))
  );
}
