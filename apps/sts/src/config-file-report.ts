import type { FileApplication } from '@sts/db';

/**
 * Says at start what applying the config file did to its tenants (decision 0023). The admin log
 * has the details; this is for the operator reading the start's output. A tenant that is in the
 * file but was detached in the console is a warning: the file's version of it is not applied,
 * which its author may not expect.
 */
export function reportFileApplication(applied: FileApplication, file: string): void {
  const by = (outcome: string) =>
    applied.tenants.filter((t) => t.outcome === outcome).map((t) => t.id);
  for (const t of applied.tenants)
    if (t.outcome === 'detached')
      console.warn(
        `WARNING: tenant ${t.id} is in ${file} but was detached from it in the console on ` +
          `${t.detachedAt.toISOString()}: the file's version is not applied. Remove it from the ` +
          'file, or delete the tenant in the console to have the file create it again.',
      );
  const summary = (['created', 'updated', 'removed', 'kept'] as const)
    .map((outcome) => [outcome, by(outcome)] as const)
    .filter(([, ids]) => ids.length > 0)
    .map(([outcome, ids]) => `${outcome} ${ids.join(', ')}`);
  // On stderr with the warnings (the STS's modules print nothing else): a start that changed
  // tenants is worth the operator's notice.
  if (summary.length > 0) console.warn(`Config file ${file}: tenants ${summary.join('; ')}.`);
  for (const id of by('kept'))
    console.warn(
      `Tenant ${id} is no longer in ${file}: kept (STS_REMOVED_FILE_TENANTS=keep), now managed in the console.`,
    );
}
