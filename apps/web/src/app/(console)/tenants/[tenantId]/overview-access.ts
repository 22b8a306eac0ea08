import 'server-only';
import { canWrite } from '@sts/console/access';
import { createContext } from '~/server/trpc/trpc';

/** What the signed-in admin may do in a tenant, for showing only the controls that will work. */
export interface TenantAccess {
  /** Owner, or a tenant admin of this tenant. */
  canWrite: boolean;
  /** Owners alone create and delete tenants. */
  isOwner: boolean;
}

/**
 * Read on the server for each page view (roles apply at once). It only hides controls: every
 * procedure checks the role again, and a refused change still shows the server's FORBIDDEN.
 */
export async function tenantAccess(tenantId: string): Promise<TenantAccess> {
  const { admin } = await createContext();
  return {
    canWrite: admin ? canWrite(admin, tenantId) : false,
    isOwner: admin?.role === 'owner',
  };
}
