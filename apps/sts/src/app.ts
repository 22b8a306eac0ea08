import type { KeyResolver, Limits, Signer } from '@sts/core';
import type { AuditRecord } from '@sts/db';
import type { ClientAuthDeps } from './http/client-auth';
import type { TenantRegistry } from './runtime/tenant-registry';

/** Everything the HTTP layer needs, wired once in main.ts (or a test). */
export interface StsApp {
  publicUrl: string;
  registry: TenantRegistry;
  keys: KeyResolver;
  signer: Signer;
  clientAuth: ClientAuthDeps;
  limits: Limits;
  clock: () => number;
  /** Writes the audit record; throws if it cannot (then no token is returned). */
  audit(record: AuditRecord): void;
  /** true when the database answers. */
  ready(): boolean;
}
