import { type KeyLookup, keyLookup, type Tenant } from '@sts/core';
import type { LoadedClient } from '@sts/db';
import { KeyRing, type SigningKeyMaterial } from './key-ring';

/** What the store hands the STS for each tenant. */
export interface TenantSnapshot {
  tenant: Tenant;
  clients: LoadedClient[];
  keys: SigningKeyMaterial[];
}

export interface TenantRuntime {
  tenant: Tenant;
  /** Clients by id; a private_key_jwt client's inline keys ready to verify its assertions. */
  clients: ReadonlyMap<string, LoadedClient & { keys?: KeyLookup }>;
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
          { ...c, keys: c.jwks ? keyLookup(c.jwks) : undefined },
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

  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  get size(): number {
    return this.tenants.size;
  }
}
