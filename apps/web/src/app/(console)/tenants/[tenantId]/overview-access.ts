import 'server-only';
import { getTenant, toAppError } from '@sts/console';
import { canRead, canWrite } from '@sts/console/access';
import { createContext } from '~/server/trpc/trpc';

/** What the signed-in admin may do in a tenant, for showing only the controls that will work. */
export interface TenantAccess {
  /** The tenant exists and the admin may see it. */
  exists: boolean;
  /**
   * May change its settings, clients, trusted issuers and rules: owner, or a tenant admin of
   * this tenant, and the configuration file does not manage it (decision 0023).
   */
  canWrite: boolean;
  /** May rotate and revoke its keys, and detach it from the file: the role alone decides. */
  canManage: boolean;
  /** The configuration file manages it: read-only here. */
  fileManaged: boolean;
  /** Owners alone create and delete tenants. */
  isOwner: boolean;
}

/**
 * Read on the server for each page view (roles apply at once). It only hides controls: every
 * procedure checks the role and the file's management again, and a refused change still shows
 * the server's message.
 */
export async function tenantAccess(tenantId: string): Promise<TenantAccess> {
  const none = { exists: false, canWrite: false, canManage: false, fileManaged: false };
  const { console: ctx, admin } = await createContext();
  if (!admin || !canRead(admin, tenantId)) return { ...none, isOwner: false };
  const isOwner = admin.role === 'owner';
  const tenant = await getTenant(ctx, tenantId).catch((err: unknown) => {
    if (toAppError(err)?.code === 'NOT_FOUND') return null;
    throw err;
  });
  if (!tenant) return { ...none, isOwner };
  const canManage = canWrite(admin, tenantId);
  const fileManaged = tenant.source === 'file';
  return { exists: true, canWrite: canManage && !fileManaged, canManage, fileManaged, isOwner };
}
