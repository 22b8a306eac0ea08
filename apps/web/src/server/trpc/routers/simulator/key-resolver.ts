import 'server-only';
import type { KeyResolver, TrustedIssuerConfig } from '@sts/core';
import { find, RemoteJwks } from '@sts/core/remote-jwks';
import type { PublicSigningKey } from '@sts/db';
import { createLocalJWKSet, type JSONWebKeySet, type JWK } from 'jose';
import { consoleEnv } from '~/env';

type Lookup = ReturnType<typeof createLocalJWKSet>;

/** One JWKS cache per console process, as the STS keeps one (fetch limits and cooldowns included). */
const globalRef = globalThis as unknown as { stsSimulatorJwks?: RemoteJwks };
function remoteJwks(): RemoteJwks {
  globalRef.stsSimulatorJwks ??= new RemoteJwks({
    allowLoopbackHttp: consoleEnv().STS_ALLOW_LOOPBACK_HTTP_JWKS,
  });
  return globalRef.stsSimulatorJwks;
}

/**
 * The simulator's read-only KeyResolver, built like the STS's (apps/sts runtime/key-resolver.ts):
 * trusted issuers' inline JWKS or JWKS URI (fetched and cached by RemoteJwks), and the tenant's
 * own PUBLIC keys (active and retiring). It can verify; nothing here can sign.
 */
export function simulatorKeyResolver(ownKeys: PublicSigningKey[]): KeyResolver {
  const own = createLocalJWKSet({
    keys: ownKeys.map((k) => ({ ...(k.publicJwk as JWK), kid: k.kid, alg: k.alg, use: 'sig' })),
  });
  const algorithms = [...new Set(ownKeys.map((k) => k.alg))];
  const inline = new WeakMap<TrustedIssuerConfig, Lookup>();
  return {
    issuerKey(_tenant, issuer, header) {
      if (issuer.jwksUri) return remoteJwks().key(issuer.jwksUri, header);
      let lookup = inline.get(issuer);
      if (!lookup && issuer.jwks) {
        lookup = createLocalJWKSet(issuer.jwks as JSONWebKeySet);
        inline.set(issuer, lookup);
      }
      return find(lookup, header);
    },
    ownKey(_tenant, header) {
      return find(own, header);
    },
    ownAlgorithms() {
      return algorithms;
    },
  };
}
