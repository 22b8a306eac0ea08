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
 *
 * A tenant whose keys give no usable active signing key (its private key cannot be opened, say)
 * keeps the key ring it had, or is not served if it had none; it is reported by
 * tenantsWithoutUsableKeys (/readyz: `signing_keys`) until a load gives it one. One tenant's
 * broken key does not stop the others' configuration from loading.
 */
export class TenantRegistry {
  private tenants = new Map<string, TenantRuntime>();
  private withoutUsableKeys: string[] = [];

  constructor(
    private readonly load: () => Promise<TenantSnapshot[]>,
    private readonly onUnusableKeys: (tenantId: string, err: unknown) => void = () => {},
  ) {}

  async reload(): Promise<void> {
    const next = new Map<string, TenantRuntime>();
    const withoutUsableKeys: string[] = [];
    for (const snapshot of await this.load()) {
      const tenantId = snapshot.tenant.id;
      let keyRing: KeyRing | undefined;
      try {
        keyRing = await KeyRing.load(snapshot.keys);
      } catch (err) {
        withoutUsableKeys.push(tenantId);
        this.onUnusableKeys(tenantId, err);
        keyRing = this.tenants.get(tenantId)?.keyRing;
      }
      if (!keyRing) continue;
      const clients = new Map(
        snapshot.clients.map((c) => [
          c.clientId,
          { ...c, keys: c.jwks ? keyLookup(c.jwks) : undefined },
        ]),
      );
      next.set(tenantId, { tenant: snapshot.tenant, clients, keyRing });
    }
    this.tenants = next;
    this.withoutUsableKeys = withoutUsableKeys;
  }

  /** The tenants whose last load gave no usable active signing key. */
  tenantsWithoutUsableKeys(): readonly string[] {
    return this.withoutUsableKeys;
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
