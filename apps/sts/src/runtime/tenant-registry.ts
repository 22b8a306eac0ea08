import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { type KeyLookup, keyLookup, type Tenant } from '@sts/core';
import type { LoadedClient } from '@sts/db';
import { KeyRing, type SigningKeyMaterial } from './key-ring';

/** What the store hands the STS for each tenant. */
export interface TenantSnapshot {
  tenant: Tenant;
  clients: LoadedClient[];
  keys: SigningKeyMaterial[];
}

/** Where the registry reads tenants from (runtime/tenant-loader.ts). */
export interface TenantSource {
  /** Every tenant's id. */
  ids(): Promise<string[]>;
  /** The tenants of `ids` that exist; throws when any of them cannot be read. */
  load(ids: readonly string[]): Promise<TenantSnapshot[]>;
}

export interface TenantRuntime {
  tenant: Tenant;
  /** Clients by id; a private_key_jwt client's inline keys ready to verify its assertions. */
  clients: ReadonlyMap<string, LoadedClient & { keys?: KeyLookup }>;
  keyRing: KeyRing;
}

/** A tenant that could not be reloaded: its previous state stays in force. */
export interface ReloadFailure {
  tenantId: string;
  error: Error;
}

/** How many tenants are read from the database at once. */
const BATCH = 100;

/**
 * Every tenant's configuration and keys, in memory: the token endpoint never waits on the
 * database. A reload reads the tenants it is given in batches, builds each tenant's new state
 * beside the old one and swaps it in, tenant by tenant, yielding to requests in between
 * (decision 0022): a request sees a tenant's old state or its new one, never a mix. A tenant that
 * fails to load keeps its previous state; a tenant that no longer exists is removed. Reloads run
 * one after another, so a later one never swaps in older state.
 *
 * A tenant whose keys give no usable active signing key (its private key cannot be opened, say)
 * keeps its previous state, or is not served if it had none; it is reported by
 * tenantsWithoutUsableKeys (/readyz: `signing_keys`) until a load gives it one.
 */
export class TenantRegistry {
  private tenants = new Map<string, TenantRuntime>();
  private readonly loads = new Map<string, number>();
  private readonly withoutUsableKeys = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly source: TenantSource) {}

  /** Reloads the tenants of `ids`, or every tenant (removing those gone); returns what failed. */
  reload(ids?: readonly string[]): Promise<ReloadFailure[]> {
    const run = this.queue.then(() => this.reloadNow(ids));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(only?: readonly string[]): Promise<ReloadFailure[]> {
    const ids = only ?? (await this.source.ids());
    if (!only) {
      const kept = new Set(ids);
      for (const id of this.tenants.keys()) if (!kept.has(id)) this.remove(id);
    }
    const failures: ReloadFailure[] = [];
    for (let i = 0; i < ids.length; i += BATCH)
      failures.push(...(await this.reloadBatch(ids.slice(i, i + BATCH))));
    return failures;
  }

  private async reloadBatch(ids: readonly string[]): Promise<ReloadFailure[]> {
    let snapshots: TenantSnapshot[];
    try {
      snapshots = await this.source.load(ids);
    } catch (err) {
      // One tenant the store cannot read (a broken row) must not hold back the others.
      if (ids.length === 1) return [{ tenantId: ids[0] as string, error: failure(ids[0], err) }];
      const failures: ReloadFailure[] = [];
      for (const id of ids) failures.push(...(await this.reloadBatch([id])));
      return failures;
    }
    const failures: ReloadFailure[] = [];
    const found = new Set<string>();
    for (const snapshot of snapshots) {
      const id = snapshot.tenant.id;
      found.add(id);
      try {
        this.tenants.set(id, await build(snapshot));
        this.loads.set(id, this.loadCount(id) + 1);
        this.withoutUsableKeys.delete(id);
      } catch (err) {
        if (err instanceof UnusableKeysError) this.withoutUsableKeys.add(id);
        failures.push({ tenantId: id, error: failure(id, err) });
      }
      await yieldToRequests();
    }
    for (const id of ids) if (!found.has(id)) this.remove(id);
    return failures;
  }

  private remove(tenantId: string): void {
    this.tenants.delete(tenantId);
    this.loads.delete(tenantId);
    this.withoutUsableKeys.delete(tenantId);
  }

  /** The tenants whose last load gave no usable active signing key. */
  tenantsWithoutUsableKeys(): readonly string[] {
    return [...this.withoutUsableKeys];
  }

  /** How many times the tenant's state was (re)built in this process: tests and diagnostics. */
  loadCount(tenantId: string): number {
    return this.loads.get(tenantId) ?? 0;
  }

  get(tenantId: string): TenantRuntime | undefined {
    return this.tenants.get(tenantId);
  }

  ring(tenantId: string): KeyRing {
    const runtime = this.tenants.get(tenantId);
    if (!runtime) throw new Error(`unknown tenant ${tenantId}`);
    return runtime.keyRing;
  }

  /** The ids of the tenants served now. */
  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  get size(): number {
    return this.tenants.size;
  }
}

async function build(snapshot: TenantSnapshot): Promise<TenantRuntime> {
  const clients = new Map(
    snapshot.clients.map((c) => [
      c.clientId,
      { ...c, keys: c.jwks ? keyLookup(c.jwks) : undefined },
    ]),
  );
  let keyRing: KeyRing;
  try {
    keyRing = KeyRing.load(snapshot.keys);
  } catch (err) {
    throw new UnusableKeysError((err as Error)?.message ?? String(err), { cause: err });
  }
  return { tenant: snapshot.tenant, clients, keyRing };
}

/** The tenant's keys give no usable active signing key. */
class UnusableKeysError extends Error {}

function failure(tenantId: string | undefined, err: unknown): Error {
  return new Error(`tenant ${tenantId}: ${(err as Error)?.message ?? String(err)}`, {
    cause: err,
  });
}
