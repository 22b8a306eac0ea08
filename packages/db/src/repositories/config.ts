import type { KeyObject } from 'node:crypto';
import {
  CLIENT_AUTH_METHODS,
  type ClientAuthMethod,
  type ClientConfig,
  type ConfigFile,
  type Jwks,
  JwksSchema,
  type RuleConfig,
  RuleSchema,
  SIGNING_ALGS,
  type Tenant,
  type TenantConfig,
  type TrustedIssuerConfig,
  TrustedIssuerSchema,
} from '@sts/core';
import type {
  Client as ClientRow,
  Rule as RuleRow,
  Tenant as TenantRow,
  TrustedIssuer as TrustedIssuerRow,
} from '../../generated/prisma/client';
import { hashClientSecret } from '../crypto/client-secret';
import type { Database } from '../open';
import {
  bumpConfigVersion,
  type Row,
  type Sqlite,
  sqlBoolean,
  sqlTimestamp,
  writeTransaction,
} from './sql';
import { oneOf, parseStored, parseStoredJson } from './stored';

/** A client as the token endpoint needs it. */
export interface LoadedClient {
  clientId: string;
  authMethod: ClientAuthMethod;
  /** hashClientSecret() output, for the client_secret_* methods. */
  secretHash?: string;
  jwks?: Jwks;
  jwksUri?: string;
  allowTokenExchange: boolean;
  disabled: boolean;
}

export interface LoadedTenant {
  tenant: Tenant;
  clients: LoadedClient[];
}

/** Returns the secret of a client_secret_* client (from `secret`, or the `secretEnv` variable). */
export type ResolveSecret = (client: ClientConfig) => string;

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

/**
 * Makes the database hold the tenants of a configuration file, in one transaction: a failure
 * (resolveSecret throwing, say) changes nothing. Each declared tenant gets exactly the file's
 * clients, trusted issuers and rules (rules keep the file's order); the file takes over a tenant
 * of the same id created in the console. Tenants absent from the file are left alone (their
 * signing keys too). Secrets are stored as hashClientSecret(pepper, secret). Rows that already
 * match are not written, and the configuration version is bumped only when something changed.
 * Returns whether anything changed.
 */
export async function applyConfigFile(
  db: Pick<Database, 'sqlite'>,
  pepper: KeyObject,
  config: ConfigFile,
  resolveSecret: ResolveSecret,
): Promise<boolean> {
  const { sqlite } = db;
  const at = sqlTimestamp(Date.now());
  return writeTransaction(sqlite, () => {
    let changed = false;
    for (const tenant of config.tenants) {
      const rows = tenantRows(tenant, (c) => hashClientSecret(pepper, resolveSecret(c)));
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
      disabled: sqlBoolean(c.disabled),
    })),
    issuers: t.trustedIssuers.map((i) => ({
      tenant_id: t.id,
      issuer: i.issuer,
      jwks_uri: i.jwksUri ?? null,
      jwks: json(i.jwks),
      audiences: JSON.stringify(i.audiences),
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

/**
 * Every tenant with its clients, as the STS serves them. `publicUrl` is STS_PUBLIC_URL; the
 * tenant's issuer is `<publicUrl>/t/<id>`. Stored JSON is validated with the core schemas.
 */
export async function loadTenants(
  db: Pick<Database, 'prisma'>,
  publicUrl: string,
): Promise<LoadedTenant[]> {
  const base = publicUrl.replace(/\/+$/, '');
  const tenants = await db.prisma.tenant.findMany({
    orderBy: { id: 'asc' },
    include: {
      clients: { orderBy: { clientId: 'asc' } },
      trustedIssuers: { orderBy: { issuer: 'asc' } },
      rules: { orderBy: { position: 'asc' } },
    },
  });
  return tenants.map((t) => ({ tenant: toTenant(t, base), clients: t.clients.map(toClient) }));
}

/** A tenant row with its trusted issuers and rules (in order) as the exchange engine sees it. */
export function toTenant(
  t: TenantRow & { trustedIssuers: TrustedIssuerRow[]; rules: RuleRow[] },
  publicUrl: string,
): Tenant {
  return {
    id: t.id,
    displayName: t.displayName,
    issuer: `${publicUrl.replace(/\/+$/, '')}/t/${t.id}`,
    accessTokenTtlSeconds: t.accessTokenTtlSeconds,
    signingAlg: oneOf(SIGNING_ALGS, t.signingAlg, `tenant ${t.id}: signing_alg`),
    trustedIssuers: t.trustedIssuers.map(toTrustedIssuer),
    rules: t.rules.map(toRule),
  };
}

/** A trusted issuer row as the configuration schema describes it. */
export function toTrustedIssuer(row: TrustedIssuerRow): TrustedIssuerConfig {
  const where = `tenant ${row.tenantId}, trusted issuer ${row.issuer}`;
  const value = {
    issuer: row.issuer,
    jwksUri: row.jwksUri ?? undefined,
    jwks: row.jwks === null ? undefined : parseStoredJson(row.jwks, `${where}: jwks`),
    audiences: parseStoredJson(row.audiences, `${where}: audiences`),
    algorithms: parseStoredJson(row.algorithms, `${where}: algorithms`),
  };
  return parseStored(TrustedIssuerSchema, value, where);
}

function toRule(row: RuleRow): RuleConfig {
  const where = `tenant ${row.tenantId}, rule ${row.ruleId}`;
  return parseStored(RuleSchema, parseStoredJson(row.definition, where), where);
}

function toClient(row: ClientRow): LoadedClient {
  const where = `tenant ${row.tenantId}, client ${row.clientId}`;
  return {
    clientId: row.clientId,
    authMethod: oneOf(CLIENT_AUTH_METHODS, row.authMethod, `${where}: auth_method`),
    secretHash: row.secretHash ?? undefined,
    jwks:
      row.jwks === null
        ? undefined
        : parseStored(JwksSchema, parseStoredJson(row.jwks, `${where}: jwks`), `${where}: jwks`),
    jwksUri: row.jwksUri ?? undefined,
    allowTokenExchange: row.allowTokenExchange,
    disabled: row.disabled,
  };
}

/**
 * The configuration version (0 before any change). One indexed row: STS replicas poll it, every
 * second by default, and reload when it moved.
 */
export function readConfigVersion(db: Pick<Database, 'sqlite'>): number {
  const version = db.sqlite
    .prepare('SELECT "version" FROM "config_version" WHERE "id" = 1')
    .pluck()
    .get() as number | undefined;
  return version ?? 0;
}
