import type {
  ClientAuthMethod,
  ClientConfig,
  ConfigFile,
  Jwks,
  Tenant,
  TenantConfig,
} from '@sts/core';
import { NotFoundError } from '../errors';
import type { Handles } from '../internal/handles';
import { toLoadedClient, toTenant } from '../internal/mappers';
import {
  bumpConfigVersion,
  type Row,
  type Sqlite,
  sqlBoolean,
  sqlTimestamp,
  writeTransaction,
} from '../internal/sql';

/** A client as the token endpoint needs it (and the simulator, which ignores the hash). */
export interface LoadedClient {
  clientId: string;
  displayName: string | null;
  authMethod: ClientAuthMethod;
  /** @sts/crypto hashClientSecret() output, for the client_secret_* methods. */
  secretHash?: string;
  jwks?: Jwks;
  jwksUri?: string;
  allowTokenExchange: boolean;
  /** May call the introspection endpoint (RFC 7662). */
  allowIntrospection: boolean;
  disabled: boolean;
}

/** A tenant as the exchange engine sees it, with its clients. */
export interface LoadedTenant {
  tenant: Tenant;
  clients: LoadedClient[];
}

/** The secret hash of a client_secret_* client of a configuration file. */
export type HashSecret = (client: ClientConfig) => string;

/** The configuration as the STS serves it, and the file it is declared in. */
export interface ConfigRepository {
  /**
   * Makes the database hold the tenants of a configuration file, in one transaction: a failure
   * (hashSecret throwing, say) changes nothing. Each declared tenant gets exactly the file's
   * clients, trusted issuers and rules (rules keep the file's order); the file takes over a
   * tenant of the same id created in the console. Tenants absent from the file are left alone
   * (their signing keys too). Rows that already match are not written, and the configuration
   * version is bumped only when something changed. Returns whether anything changed.
   */
  applyFile(config: ConfigFile, hashSecret: HashSecret): boolean;
  /** Every tenant, by id. `publicUrl` is STS_PUBLIC_URL (issuers are `<publicUrl>/t/<id>`). */
  loadTenants(publicUrl: string): Promise<LoadedTenant[]>;
  /** One tenant; NotFoundError when there is none. */
  loadTenant(tenantId: string, publicUrl: string): Promise<LoadedTenant>;
  /**
   * The configuration version (0 before any change). One indexed row: STS replicas poll it,
   * every second by default, and reload when it moved.
   */
  version(): number;
}

const TENANT_GRAPH = {
  clients: { orderBy: { clientId: 'asc' } },
  trustedIssuers: { orderBy: { issuer: 'asc' } },
  rules: { orderBy: { position: 'asc' } },
} as const;

export function configRepository(h: Handles): ConfigRepository {
  const { sqlite, prisma } = h;
  return {
    applyFile: (config, hashSecret) => applyConfigFile(h, config, hashSecret),
    async loadTenants(publicUrl) {
      const tenants = await prisma.tenant.findMany({
        orderBy: { id: 'asc' },
        include: TENANT_GRAPH,
      });
      return tenants.map((t) => ({
        tenant: toTenant(t, publicUrl),
        clients: t.clients.map(toLoadedClient),
      }));
    },
    async loadTenant(tenantId, publicUrl) {
      const t = await prisma.tenant.findUnique({ where: { id: tenantId }, include: TENANT_GRAPH });
      if (!t) throw new NotFoundError('tenant', tenantId);
      return { tenant: toTenant(t, publicUrl), clients: t.clients.map(toLoadedClient) };
    },
    version() {
      const version = sqlite
        .prepare('SELECT "version" FROM "config_version" WHERE "id" = 1')
        .pluck()
        .get() as number | undefined;
      return version ?? 0;
    },
  };
}

interface Table {
  name: string;
  /** The primary key; its first column is the tenant id. */
  key: string[];
  /** Has created_at and updated_at columns. */
  timestamps: boolean;
}
const TENANTS: Table = { name: 'tenants', key: ['id'], timestamps: true };
const CLIENTS: Table = { name: 'clients', key: ['tenant_id', 'client_id'], timestamps: true };
const ISSUERS: Table = { name: 'trusted_issuers', key: ['tenant_id', 'issuer'], timestamps: false };
const RULES: Table = { name: 'rules', key: ['tenant_id', 'rule_id'], timestamps: false };

function applyConfigFile({ sqlite, clock }: Handles, config: ConfigFile, hashSecret: HashSecret) {
  const at = sqlTimestamp(clock());
  return writeTransaction(sqlite, () => {
    let changed = false;
    for (const tenant of config.tenants) {
      const rows = tenantRows(tenant, hashSecret);
      const existing = (table: Table) =>
        sqlite
          .prepare(`SELECT * FROM "${table.name}" WHERE "${table.key[0]}" = ?`)
          .all(tenant.id) as Row[];
      // Tenant first: the other tables reference it.
      changed = syncRows(sqlite, TENANTS, existing(TENANTS), [rows.tenant], at) || changed;
      changed = syncRows(sqlite, CLIENTS, existing(CLIENTS), rows.clients, at) || changed;
      changed = syncRows(sqlite, ISSUERS, existing(ISSUERS), rows.issuers, at) || changed;
      changed = syncRows(sqlite, RULES, existing(RULES), rows.rules, at) || changed;
    }
    if (changed) bumpConfigVersion(sqlite);
    return changed;
  });
}

function tenantRows(t: TenantConfig, secretHash: (c: ClientConfig) => string) {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  return {
    tenant: {
      id: t.id,
      display_name: t.displayName,
      access_token_ttl_seconds: t.accessTokenTtlSeconds,
      signing_alg: t.signingAlg,
      source: 'file',
    },
    clients: t.clients.map((c) => ({
      tenant_id: t.id,
      client_id: c.clientId,
      display_name: c.displayName ?? null,
      auth_method: c.authMethod,
      secret_hash: c.authMethod === 'private_key_jwt' ? null : secretHash(c),
      jwks: json(c.jwks),
      jwks_uri: c.jwksUri ?? null,
      allow_token_exchange: sqlBoolean(c.allowTokenExchange),
      allow_introspection: sqlBoolean(c.allowIntrospection),
      disabled: sqlBoolean(c.disabled),
    })),
    issuers: t.trustedIssuers.map((i) => ({
      tenant_id: t.id,
      issuer: i.issuer,
      jwks_uri: i.jwksUri ?? null,
      jwks: json(i.jwks),
      audiences: JSON.stringify(i.audiences),
      any_audience: sqlBoolean(i.anyAudience),
      access_token_typ: JSON.stringify(i.accessTokenTyp),
      algorithms: JSON.stringify(i.algorithms),
    })),
    rules: t.rules.map((r, position) => ({
      tenant_id: t.id,
      rule_id: r.id,
      position,
      definition: JSON.stringify(r),
    })),
  };
}

/** Makes `table` hold `desired` where it held `existing`; true when anything changed. */
function syncRows(sqlite: Sqlite, table: Table, existing: Row[], desired: Row[], at: string) {
  const keyOf = (row: Row) => JSON.stringify(table.key.map((column) => row[column]));
  const left = new Map(existing.map((row) => [keyOf(row), row]));
  let changed = false;
  for (const row of desired) {
    const old = left.get(keyOf(row));
    left.delete(keyOf(row));
    if (old && Object.entries(row).every(([column, value]) => old[column] === value)) continue;
    const values = table.timestamps ? { ...row, created_at: at, updated_at: at } : row;
    sqlite.prepare(upsertSql(table, Object.keys(values))).run(values);
    changed = true;
  }
  const where = table.key.map((column) => `"${column}" = ?`).join(' AND ');
  for (const row of left.values()) {
    sqlite.prepare(`DELETE FROM "${table.name}" WHERE ${where}`).run(table.key.map((c) => row[c]));
    changed = true;
  }
  return changed;
}

function upsertSql(table: Table, columns: string[]): string {
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  const params = columns.map((c) => `@${c}`).join(', ');
  const updates = columns
    .filter((c) => !table.key.includes(c) && c !== 'created_at')
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ');
  const key = table.key.map((c) => `"${c}"`).join(', ');
  return `INSERT INTO "${table.name}" (${quoted}) VALUES (${params}) ON CONFLICT (${key}) DO UPDATE SET ${updates}`;
}
