import type { ClientAuthMethod, Jwks, Tenant } from '@sts/core';
import { createLocalJWKSet } from 'jose';
import { KeyRing, type SigningKeyMaterial } from './key-ring';

export interface LoadedClient {
  clientId: string;
  authMethod: ClientAuthMethod;
  secretHash?: string | null;
  jwks?: Jwks | null;
  jwksUri?: string | null;
  allowTokenExchange: boolean;
  disabled: boolean;
}

/** What the store hands the STS for each tenant. */
export interface TenantSnapshot {
  tenant: Tenant;
  clients: LoadedClient[];
  keys: SigningKeyMaterial[];
}

export interface TenantRuntime {
  tenant: Tenant;
  clients: ReadonlyMap<string, LoadedClient & { keys?: ReturnType<typeof createLocalJWKSet> }>;
  keyRing: KeyRing;
}

/**
 * Every tenant's configuration and keys, in memory: the token endpoint never waits on the
 * database. reload() builds a complete new set before swapping it in, so a request sees either
 * the old configuration or the new one, never a mix.
 */
export class TenantRegistry {
  private tenants = new Map<string, TenantRuntime>();

  constructor(private readonly load: () => Promise<TenantSnapshot[]>) {}

  async reload(): Promise<void> {
    const next = new Map<string, TenantRuntime>();
    for (const snapshot of await this.load()) {
      const clients = new Map(
        snapshot.clients.map((c) => [
          c.clientId,
          {
            ...c,
            keys: c.jwks
              ? createLocalJWKSet(c.jwks as Parameters<typeof createLocalJWKSet>[0])
              : undefined,
          },
        ]),
      );
      next.set(snapshot.tenant.id, {
        tenant: snapshot.tenant,
        clients,
        keyRing: await KeyRing.load(snapshot.keys),
      });
    }
    this.tenants = next;
  }

  get(tenantId: string): TenantRuntime | undefined {
    return this.tenants.get(tenantId);
  }

  ring(tenantId: string): KeyRing {
    const runtime = this.tenants.get(tenantId);
    if (!runtime) throw new Error(`unknown tenant ${tenantId}`);
    return runtime.keyRing;
  }

  get size(): number {
    return this.tenants.size;
  }
}
