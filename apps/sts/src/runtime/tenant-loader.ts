import type { KeyObject } from 'node:crypto';
import { trustedIssuerWarning } from '@sts/core';
import { openPrivateJwk, sealedKeyPair } from '@sts/crypto';
import type { Database } from '@sts/db';
import type { SigningKeyMaterial } from './key-ring';
import type { Logger } from './logger';
import type { TenantSnapshot, TenantSource } from './tenant-registry';

export interface TenantLoaderOptions {
  database: Database;
  /** Opens the sealed private keys (and seals new ones). */
  kek: KeyObject;
  /** STS_PUBLIC_URL: issuers are `<publicUrl>/t/<id>`. */
  publicUrl: string;
  log: Logger;
  /** Applies the signing key lifecycle transitions due now for one tenant (KeyLifecycle's). */
  advanceKeys(tenantId: string): Promise<unknown>;
  /** The transitions due now: which of `tenantIds` have any. */
  dueKeys(tenantIds: readonly string[]): Promise<string[]>;
}

/**
 * Reads tenants for the registry, a batch at a time: each gets an active key of its signingAlg
 * and its due key lifecycle transitions first (only the tenants that need either write), then
 * the tenants, their clients and their usable keys are read in a few queries for the whole
 * batch, and the private keys opened.
 */
export function tenantLoader(options: TenantLoaderOptions): TenantSource {
  const { database, kek, publicUrl, log } = options;
  // Settings that make an issuer accept nothing (an upgraded issuer with no audience, decision
  // 0010) are said once per process, at the load that finds them.
  const warned = new Set<string>();
  return {
    ids: () => database.config.tenantIds(),
    async load(ids) {
      for (const { tenantId, alg } of await database.signingKeys.needingActiveKey(ids))
        await database.signingKeys.ensureActive(tenantId, alg, (a) =>
          sealedKeyPair(kek, 'signing_keys', tenantId, a),
        );
      for (const tenantId of await options.dueKeys(ids)) await options.advanceKeys(tenantId);
      const tenants = await database.config.loadTenants(publicUrl, ids);
      const keys = await database.signingKeys.listUsableOf(ids);
      return tenants.map(({ tenant, clients }): TenantSnapshot => {
        for (const issuer of tenant.trustedIssuers) {
          const warning = trustedIssuerWarning(issuer);
          if (warning && !warned.has(`${tenant.id} ${warning}`)) {
            warned.add(`${tenant.id} ${warning}`);
            log.warn({ tenant: tenant.id }, `Tenant ${tenant.id}: ${warning}`);
          }
        }
        const opened: SigningKeyMaterial[] = [];
        for (const { sealedPrivateKey, ...key } of keys.get(tenant.id) ?? []) {
          // A key that cannot be opened (sealed under another master key, damaged) is left out;
          // without its active key the tenant keeps its previous state (TenantRegistry).
          try {
            opened.push({
              ...key,
              privateJwk: openPrivateJwk(kek, 'signing_keys', tenant.id, key.kid, sealedPrivateKey),
            });
          } catch (err) {
            log.error(
              { tenant: tenant.id, kid: key.kid, status: key.status, err },
              'signing key cannot be opened',
            );
          }
        }
        return { tenant, clients, keys: opened };
      });
    },
  };
}
