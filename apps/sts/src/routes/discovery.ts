import type { ServerResponse } from 'node:http';
import {
  CLIENT_AUTH_METHODS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  ISSUABLE_TOKEN_TYPES,
  VERIFY_ALGS,
} from '@sts/core';
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

/** The tenant's public signing keys (RFC 7517), active and retiring. */
export function jwksRoute(runtime: TenantRuntime, res: ServerResponse): void {
  writeJson(res, 200, runtime.keyRing.own.jwks, {
    'Content-Type': 'application/jwk-set+json',
    'Cache-Control': 'public, max-age=300',
  });
}
