import type { ServerResponse } from 'node:http';
import {
  CLIENT_AUTH_METHODS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  ISSUABLE_TOKEN_TYPES,
  VERIFY_ALGS,
} from '@sts/core';
import type { StsApp } from '../app';
import { writeJson } from '../http/write';
import type { TenantRuntime } from '../runtime/tenant-registry';

/** RFC 8414 authorization server metadata of a tenant. */
export function metadataRoute(runtime: TenantRuntime, res: ServerResponse): void {
  const issuer = runtime.tenant.issuer;
  writeJson(
    res,
    200,
    {
      issuer,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks.json`,
      introspection_endpoint: `${issuer}/introspect`,
      grant_types_supported: [GRANT_TYPE_TOKEN_EXCHANGE],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      token_endpoint_auth_signing_alg_values_supported: VERIFY_ALGS,
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: VERIFY_ALGS,
      issued_token_types_supported: ISSUABLE_TOKEN_TYPES,
    },
    { 'Cache-Control': 'public, max-age=300' },
  );
}

/**
 * The tenant's public signing keys (RFC 7517): pending, active and retiring. A verifier may
 * cache them for max-age, which is at most the pre-publication delay of a new key (decision
 * 0020): a key is in every cache before it signs.
 */
export function jwksRoute(app: StsApp, runtime: TenantRuntime, res: ServerResponse): void {
  writeJson(res, 200, runtime.keyRing.own.jwks, {
    'Content-Type': 'application/jwk-set+json',
    'Cache-Control':
      app.jwksMaxAgeSeconds > 0 ? `public, max-age=${app.jwksMaxAgeSeconds}` : 'no-cache',
  });
}
