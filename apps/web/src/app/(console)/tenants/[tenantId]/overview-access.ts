import 'server-only';
import { getTenant, toAppError } from '@sts/console';
import { canRead, canWrite } from '@sts/console/access';
import { createContext } from '~/server/trpc/trpc';

/** What the signed-in admin may do in a tenant, for showing only the controls that will work. */
export interface TenantAccess {
  /** The tenant exists and the admin may see it. */
  exists: boolean;
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
  const { console: ctx, admin } = await createContext();
  if (!admin || !canRead(admin, tenantId))
    return { exists: false, canWrite: false, isOwner: false };
  const exists = await getTenant(ctx, tenantId).then(
    () => true,
    (err: unknown) => {
      if (toAppError(err)?.code === 'NOT_FOUND') return false;
      throw err;
    },
  );
  return { exists, canWrite: exists && canWrite(admin, tenantId), isOwner: admin.role === 'owner' };
}
