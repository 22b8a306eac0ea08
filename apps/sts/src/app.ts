import type { KeyResolver, Limits, Signer, VerifiedSignatures } from '@sts/core';
import type { AuditRecord } from '@sts/db';
import type { ClientAuthDeps } from './http/client-auth';
import type { TrustedProxies } from './http/source-address';
import type { Logger } from './runtime/logger';
import type { StsMetrics } from './runtime/metrics';
import type { RateLimiter } from './runtime/rate-limiter';
import type { ReadinessCheck } from './runtime/readiness';
import type { TenantRegistry } from './runtime/tenant-registry';

/** Everything the HTTP layer needs, wired once in main.ts (or a test). */
export interface StsApp {
  publicUrl: string;
  registry: TenantRegistry;
  keys: KeyResolver;
  signer: Signer;
  clientAuth: ClientAuthDeps;
  limits: Limits;
  /** Signatures of input tokens verified before (STS_VERIFIED_TOKEN_CACHE_SIZE); none: off. */
  signatures?: VerifiedSignatures;
  clock: () => number;
  /**
   * Writes the audit record, resolving once it is committed; rejects if it cannot (then no token
   * is returned).
   */
  audit(record: AuditRecord): Promise<void>;
  /** The readiness checks that fail now (/readyz); none: ready. */
  ready(): Promise<ReadinessCheck[]>;
  /** Per source address and per client, on the token and introspection endpoints. */
  rateLimits: { address: RateLimiter; client: RateLimiter };
  /** Proxies whose X-Forwarded-For names the source address (STS_TRUSTED_PROXIES). */
  trustedProxies: TrustedProxies;
  metrics: StsMetrics;
  /** Lines about a request carry its id (`request_id`): pass chosen fields, never a credential. */
  log: Logger;
  /** The JWKS's Cache-Control max-age: never longer than STS_KEY_PREPUBLISH_SECONDS. */
  jwksMaxAgeSeconds: number;
}
