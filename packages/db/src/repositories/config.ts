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
  rowNumber,
  type Sql,
  type SqlValue,
  value,
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
  applyFile(config: ConfigFile, hashSecret: HashSecret): Promise<boolean>;
  /** Every tenant, by id. `publicUrl` is STS_PUBLIC_URL (issuers are `<publicUrl>/t/<id>`). */
  loadTenants(publicUrl: string): Promise<LoadedTenant[]>;
  /** One tenant; NotFoundError when there is none. */
  loadTenant(tenantId: string, publicUrl: string): Promise<LoadedTenant>;
  /**
   * The configuration version (0 before any change). One indexed row: STS replicas poll it,
   * every second by default, and reload when it moved.
   */
  version(): Promise<number>;
}

const TENANT_GRAPH = {
  clients: { orderBy: { clientId: 'asc' } },
  trustedIssuers: { orderBy: { issuer: 'asc' } },
  rules: { orderBy: { position: 'asc' } },
} as const;

export function configRepository(h: Handles): ConfigRepository {
  const { sql, prisma } = h;
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
    async version() {
      const version = await value(sql, 'SELECT "version" FROM "config_version" WHERE "id" = 1');
      return version === undefined ? 0 : rowNumber(version);
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

function applyConfigFile({ sql, clock }: Handles, config: ConfigFile, hashSecret: HashSecret) {
  const at = new Date(clock());
  // Hashed before the transaction: a failing secret changes nothing, and the lock is held briefly.
  const desired = config.tenants.map((tenant) => tenantRows(tenant, hashSecret));
  return sql.write(async (tx) => {
    let changed = false;
    for (const rows of desired) {
      const existing = (table: Table) =>
        tx.all<Row>(`SELECT * FROM "${table.name}" WHERE "${table.key[0]}" = ?`, [rows.tenant.id]);
      // Tenant first: the other tables reference it.
      changed =
        (await syncRows(tx, TENANTS, await existing(TENANTS), [rows.tenant], at)) || changed;
      changed = (await syncRows(tx, CLIENTS, await existing(CLIENTS), rows.clients, at)) || changed;
      changed = (await syncRows(tx, ISSUERS, await existing(ISSUERS), rows.issuers, at)) || changed;
      changed = (await syncRows(tx, RULES, await existing(RULES), rows.rules, at)) || changed;
    }
    if (changed) await bumpConfigVersion(tx);
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
      key_rotation_days: t.keyRotationDays ?? null,
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
      allow_token_exchange: c.allowTokenExchange,
      allow_introspection: c.allowIntrospection,
      disabled: c.disabled,
    })),
    issuers: t.trustedIssuers.map((i) => ({
      tenant_id: t.id,
      issuer: i.issuer,
      jwks_uri: i.jwksUri ?? null,
      jwks: json(i.jwks),
      audiences: JSON.stringify(i.audiences),
      any_audience: i.anyAudience,
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

/** A stored value as the file's row would have it: booleans are 0/1 in SQLite. */
const sameValue = (stored: unknown, desired: SqlValue) =>
  typeof desired === 'boolean' ? (stored === true || stored === 1) === desired : stored === desired;

/** Makes `table` hold `desired` where it held `existing`; true when anything changed. */
async function syncRows(
  tx: Sql,
  table: Table,
  existing: Row[],
  desired: Record<string, SqlValue>[],
  at: Date,
) {
  const keyOf = (row: Row) => JSON.stringify(table.key.map((column) => row[column]));
  const left = new Map(existing.map((row) => [keyOf(row), row]));
  let changed = false;
  for (const row of desired) {
    const old = left.get(keyOf(row));
    left.delete(keyOf(row));
    if (old && Object.entries(row).every(([column, v]) => sameValue(old[column], v))) continue;
    const values = table.timestamps ? { ...row, created_at: at, updated_at: at } : row;
    await tx.run(upsertSql(table, Object.keys(values)), Object.values(values));
    changed = true;
  }
  const where = table.key.map((column) => `"${column}" = ?`).join(' AND ');
  for (const row of left.values()) {
    await tx.run(
      `DELETE FROM "${table.name}" WHERE ${where}`,
      table.key.map((c) => row[c] as SqlValue),
    );
    changed = true;
  }
  return changed;
}

function upsertSql(table: Table, columns: string[]): string {
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  const params = columns.map(() => '?').join(', ');
  const updates = columns
    .filter((c) => !table.key.includes(c) && c !== 'created_at')
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ');
  const key = table.key.map((c) => `"${c}"`).join(', ');
  return `INSERT INTO "${table.name}" (${quoted}) VALUES (${params}) ON CONFLICT (${key}) DO UPDATE SET ${updates}`;
}
