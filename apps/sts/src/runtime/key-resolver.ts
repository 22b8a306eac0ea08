import type { KeyResolver, TrustedIssuerConfig } from '@sts/core';
import { find, type RemoteJwks } from '@sts/core/remote-jwks';
import { createLocalJWKSet } from 'jose';
import type { TenantRegistry } from './tenant-registry';

/**
 * Verification keys for the exchange engine: trusted issuers' inline or fetched JWKS, and the
 * tenant's own keys. Never a key from the token's own header (jku, x5u, jwk, x5c).
 */
export function stsKeyResolver(registry: TenantRegistry, remote: RemoteJwks): KeyResolver {
  const inline = new WeakMap<TrustedIssuerConfig, ReturnType<typeof createLocalJWKSet>>();
  return {
    issuerKey(_tenant, issuer, header) {
      if (issuer.jwksUri) return remote.key(issuer.jwksUri, header);
      let lookup = inline.get(issuer);
      if (!lookup && issuer.jwks) {
        lookup = createLocalJWKSet(issuer.jwks as Parameters<typeof createLocalJWKSet>[0]);
        inline.set(issuer, lookup);
      }
      return find(lookup, header);
    },
    ownKey(tenant, header) {
      return find(registry.ring(tenant.id).verify, header);
    },
    ownAlgorithms(tenant) {
      return registry.ring(tenant.id).algorithms;
    },
  };
}
