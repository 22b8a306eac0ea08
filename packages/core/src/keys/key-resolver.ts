import type { JWSHeaderParameters } from 'jose';
import type { TrustedIssuerConfig } from '../config/schema';
import type { Tenant } from '../model';
import type { KeyResolver, VerifyKey } from '../ports';
import { find, type KeyLookup, keyLookup, type OwnKeySet } from './key-sets';

/** Fetches and caches JWK Sets by URI (RemoteJwks of @sts/core/remote-jwks). */
export interface JwksSource {
  key(uri: string, header: JWSHeaderParameters): Promise<VerifyKey | undefined>;
}

/**
 * The KeyResolver of the STS and of the console's simulator alike: a trusted issuer's keys come
 * from its inline JWKS or its JWKS URI (through `remote`), the tenant's own from `ownKeys`. Never
 * a key from the token itself (jku, x5u, jwk, x5c headers are not read).
 */
export function createKeyResolver(deps: {
  remote: JwksSource;
  ownKeys: (tenant: Tenant) => OwnKeySet;
}): KeyResolver {
  // Configurations are replaced, not edited: a lookup per inline JWKS object lives as long as it.
  const inline = new WeakMap<TrustedIssuerConfig, KeyLookup>();
  return {
    issuerKey(_tenant, issuer, header) {
      if (issuer.jwksUri) return deps.remote.key(issuer.jwksUri, header);
      let lookup = inline.get(issuer);
      if (!lookup && issuer.jwks) {
        lookup = keyLookup(issuer.jwks);
        inline.set(issuer, lookup);
      }
      return find(lookup, header);
    },
    ownKey(tenant, header) {
      return find(deps.ownKeys(tenant).lookup, header);
    },
    ownAlgorithms(tenant) {
      return deps.ownKeys(tenant).algorithms;
    },
  };
}
