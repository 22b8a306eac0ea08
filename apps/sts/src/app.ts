import type { KeyResolver, Limits, Signer } from '@sts/core';
import type { ClientAuthDeps } from './http/client-auth.js';
import type { TenantRegistry } from './runtime/tenant-registry.js';

/** One exchange attempt as the audit log records it (see @sts/db's audit table). */
export interface AuditEntry {
  tenantId: string;
  clientId?: string;
  subjectIssuer?: string;
  subjectSub?: string;
  actorChain: { iss?: string; sub: string }[];
  requestedAudiences: string[];
  requestedScope?: string;
  grantedAudiences: string[];
  grantedScope?: string;
  decision: 'granted' | 'denied';
  ruleId?: string;
  jti?: string;
  errorCode?: string;
  errorDetail?: string;
  trace: unknown;
  createdAt: Date;
}

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
  audit(entry: AuditEntry): void;
  /** true when the database answers. */
  ready(): boolean;
}

export const issuerOf = (publicUrl: string, tenantId: string) => `${publicUrl}/t/${tenantId}`;
