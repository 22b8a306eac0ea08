import type { TenantRegistry } from './tenant-registry';

/**
 * The checks /readyz names when it answers 503: the database does not answer; a tenant's
 * configuration was loaded but it has no usable active signing key (its key could not be
 * opened: the tenant keeps its previous keys, or is not served); no tenant is loaded at all.
 */
export type ReadinessCheck = 'database' | 'signing_keys' | 'tenants';

export interface ReadinessSources {
  /** Whether the database answers; may be synchronous or not (either is awaited). */
  databaseAnswers(): Promise<boolean>;
  registry: Pick<TenantRegistry, 'size' | 'tenantsWithoutUsableKeys'>;
}

/** The failing checks, in a fixed order; none: ready. A check that throws fails. */
export async function failingReadinessChecks(sources: ReadinessSources): Promise<ReadinessCheck[]> {
  const failing: ReadinessCheck[] = [];
  const database = await sources.databaseAnswers().catch(() => false);
  if (!database) failing.push('database');
  if (sources.registry.tenantsWithoutUsableKeys().length > 0) failing.push('signing_keys');
  if (sources.registry.size === 0) failing.push('tenants');
  return failing;
}
