import type { FileApplication } from '@sts/db';
import type { Logger } from './runtime/logger';

/**
 * Warns at start about what applying the config file did that its author may not expect
 * (decision 0023): a tenant in the file that was detached in the console (the file's version is
 * not applied), and tenants removed from the file (deleted, or kept). Tenants created or updated
 * are said in the admin log only: a good start logs no warning.
 */
export function reportFileApplication(applied: FileApplication, file: string, log: Logger): void {
  for (const t of applied.tenants) {
    if (t.outcome === 'detached')
      log.warn(
        { tenant: t.id },
        `tenant ${t.id} is in ${file} but was detached from it in the console on ` +
          `${t.detachedAt.toISOString()}: the file's version is not applied. Remove it from the ` +
          'file, or delete the tenant in the console to have the file create it again.',
      );
    else if (t.outcome === 'removed')
      log.warn(
        { tenant: t.id },
        `Tenant ${t.id} is no longer in ${file}: deleted, with its signing keys (STS_REMOVED_FILE_TENANTS=delete).`,
      );
    else if (t.outcome === 'kept')
      log.warn(
        { tenant: t.id },
        `Tenant ${t.id} is no longer in ${file}: kept (STS_REMOVED_FILE_TENANTS=keep), now managed in the console.`,
      );
  }
}
