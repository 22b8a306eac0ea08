import type {
  ClientAuthMethod,
  ClientConfig,
  ConfigFile,
  Jwks,
  Tenant,
  TenantConfig,
} from '@sts/core';
import { NotFoundError } from '../errors';
import { type ConfigChanges, changesBetween } from '../internal/config-changes';

export type { ConfigChanges };

import { type AdminChange, recordChange } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { toLoadedClient, toTenant } from '../internal/mappers';
import {
  type Row,
  rowDateOrNull,
  rowNumber,
  type Sql,
  type SqlValue,
  value,
} from '../internal/sql';
import { readTenantGraphs } from '../internal/tenant-graph';

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

/** What a start does with a file-managed tenant that is no longer in the file (decision 0023). */
export const REMOVED_FILE_TENANTS = ['delete', 'keep'] as const;
export type RemovedFileTenants = (typeof REMOVED_FILE_TENANTS)[number];

/** Who the admin log names for the changes a start makes from the configuration file. */
export const CONFIG_FILE_ACTOR = { id: null, email: 'configuration file' } as const;

/** What changed in one table of a tenant: keys added and removed, and columns of those updated. */
export interface RowChanges {
  added: string[];
  /** Key → the columns that changed (names only: a secret's hash is "secret_hash"). */
  updated: Record<string, string[]>;
  removed: string[];
}

/** What applying a file did to one tenant. */
export type FileTenantOutcome =
  | { id: string; outcome: 'created' }
  | {
      id: string;
      outcome: 'updated';
      /** The tenant's own columns that changed. */
      settings: string[];
      clients: RowChanges;
      trustedIssuers: RowChanges;
      rules: RowChanges;
    }
  | { id: string; outcome: 'unchanged' }
  /** In the file, but detached in the console: the file's version was not applied. */
  | { id: string; outcome: 'detached'; detachedAt: Date }
  /** File-managed, no longer in the file: deleted. */
  | { id: string; outcome: 'removed' }
  /** File-managed, no longer in the file: kept, console-managed, flagged. */
  | { id: string; outcome: 'kept' };

export interface FileApplication {
  /** Anything was written (the configuration version moved). */
  changed: boolean;
  /** Every tenant the file declares, then those it no longer declares, by id. */
  tenants: FileTenantOutcome[];
}

/** The configuration as the STS serves it, and the file it is declared in. */
export interface ConfigRepository {
  /**
   * Makes the database hold the tenants of a configuration file, in one transaction: a failure
   * (hashSecret throwing, say) changes nothing (decision 0023). Each declared tenant gets exactly
   * the file's settings, clients, trusted issuers and rules (rules keep the file's order) and is
   * file-managed; the file takes over a tenant of the same id created in the console, but not
   * one an admin detached from the file (left alone, reported `detached`). A file-managed tenant
   * the file no longer declares is deleted with its keys, or, with `removedTenants: 'keep'`,
   * kept as a console tenant flagged removed_from_file_at. Console tenants are left alone. Each
   * tenant created, updated, removed or kept is recorded as an admin action of the
   * "configuration file" naming what changed (never a secret); rows that already match are not
   * written, and nothing is recorded when nothing changed.
   */
  applyFile(
    config: ConfigFile,
    hashSecret: HashSecret,
    options?: { removedTenants?: RemovedFileTenants },
  ): Promise<FileApplication>;
  /**
   * Every tenant, or those of `ids` that exist, by id. `publicUrl` is STS_PUBLIC_URL (issuers are
   * `<publicUrl>/t/<id>`).
   */
  loadTenants(publicUrl: string, ids?: readonly string[]): Promise<LoadedTenant[]>;
  /** Every tenant's id, in order. */
  tenantIds(): Promise<string[]>;
  /** One tenant; NotFoundError when there is none. */
  loadTenant(tenantId: string, publicUrl: string): Promise<LoadedTenant>;
  /**
   * The configuration version (0 before any change). One indexed row: STS replicas poll it,
   * every second by default, and reload when it moved.
   */
  version(): Promise<number>;
  /**
   * Which tenants changed after version `since`, up to `version` (decision 0022): their ids, or
   * 'everything' when a change touched every tenant or the log no longer reaches back that far.
   */
  changes(since: number, version: number): Promise<ConfigChanges>;
}

const TENANT_GRAPH = {
  clients: { orderBy: { clientId: 'asc' } },
  trustedIssuers: { orderBy: { issuer: 'asc' } },
  rules: { orderBy: { position: 'asc' } },
} as const;

export function configRepository(h: Handles): ConfigRepository {
  const { sql, prisma } = h;
  return {
    applyFile: (config, hashSecret, options) =>
      applyConfigFile(h, config, hashSecret, options?.removedTenants ?? 'delete'),
    async loadTenants(publicUrl, ids) {
      return (await readTenantGraphs(sql, ids)).map((t) => ({
        tenant: toTenant(t, publicUrl),
        clients: t.clients.map(toLoadedClient),
      }));
    },
    async tenantIds() {
      const rows = await sql.all<{ id: string }>('SELECT "id" FROM "tenants" ORDER BY "id"');
      return rows.map((row) => row.id);
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
    changes: (since, version) => changesBetween(sql, since, version),
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

async function applyConfigFile(
  h: Handles,
  config: ConfigFile,
  hashSecret: HashSecret,
  removedTenants: RemovedFileTenants,
): Promise<FileApplication> {
  const { sql, clock } = h;
  const at = new Date(clock());
  // Hashed before the transaction: a failing secret changes nothing, and the lock is held briefly.
  const desired = config.tenants.map((tenant) => tenantRows(tenant, hashSecret));
  return sql.write(async (tx) => {
    const stored = new Map(
      (
        await tx.all<{ id: string; source: string; detached_at: unknown }>(
          'SELECT "id", "source", "detached_at" FROM "tenants"',
        )
      ).map((row) => [row.id, row]),
    );
    const tenants: FileTenantOutcome[] = [];
    const record = (change: Omit<AdminChange, 'actor'>) =>
      recordChange(tx, h, { actor: CONFIG_FILE_ACTOR, ...change }, change.tenantId ?? null);

    for (const rows of desired) {
      const id = rows.tenant.id;
      const before = stored.get(id);
      const detachedAt = before ? rowDateOrNull(before.detached_at) : null;
      if (before && before.source !== 'file' && detachedAt) {
        // An admin took it over from the file: the file's version would undo their changes.
        tenants.push({ id, outcome: 'detached', detachedAt });
        continue;
      }
      const existing = (table: Table) =>
        tx.all<Row>(`SELECT * FROM "${table.name}" WHERE "${table.key[0]}" = ?`, [id]);
      // Tenant first: the other tables reference it.
      const settings = await syncRows(tx, TENANTS, await existing(TENANTS), [rows.tenant], at);
      const clients = await syncRows(tx, CLIENTS, await existing(CLIENTS), rows.clients, at);
      const trustedIssuers = await syncRows(tx, ISSUERS, await existing(ISSUERS), rows.issuers, at);
      const rules = await syncRows(tx, RULES, await existing(RULES), rows.rules, at);
      if (!before) {
        tenants.push({ id, outcome: 'created' });
        await record({
          action: 'tenant.file_create',
          tenantId: id,
          target: id,
          details: {
            settings: settingsOf(rows.tenant),
            clients: rows.clients.map((c) => c.client_id),
            trustedIssuers: rows.issuers.map((i) => i.issuer),
            rules: rows.rules.map((r) => r.rule_id),
          },
        });
        continue;
      }
      const changes = {
        settings: Object.values(settings.updated).flat(),
        clients,
        trustedIssuers,
        rules,
      };
      if (!changes.settings.length && [clients, trustedIssuers, rules].every(isEmpty)) {
        tenants.push({ id, outcome: 'unchanged' });
        continue;
      }
      tenants.push({ id, outcome: 'updated', ...changes });
      await record({
        action: 'tenant.file_update',
        tenantId: id,
        target: id,
        details: {
          // A console tenant the file declares: the file takes it over.
          ...(before.source === 'file' ? {} : { takenOverFromConsole: true }),
          ...(changes.settings.length ? { settings: changes.settings } : {}),
          ...(isEmpty(clients) ? {} : { clients }),
          ...(isEmpty(trustedIssuers) ? {} : { trustedIssuers }),
          ...(isEmpty(rules) ? {} : { rules }),
        },
      });
    }

    const declared = new Set(desired.map((rows) => rows.tenant.id));
    for (const { id, source } of stored.values()) {
      if (source !== 'file' || declared.has(id)) continue;
      if (removedTenants === 'delete') {
        // Its clients, trusted issuers, rules, keys and memberships go with it (ON DELETE
        // CASCADE); its audit records and admin actions stay.
        await tx.run(`DELETE FROM "tenants" WHERE "id" = ? AND "source" = 'file'`, [id]);
        tenants.push({ id, outcome: 'removed' });
        await record({ action: 'tenant.file_remove', tenantId: id, target: id });
      } else {
        await tx.run(
          `UPDATE "tenants" SET "source" = 'console', "removed_from_file_at" = ?, "updated_at" = ? WHERE "id" = ? AND "source" = 'file'`,
          [at, at, id],
        );
        tenants.push({ id, outcome: 'kept' });
        await record({
          action: 'tenant.file_keep',
          tenantId: id,
          target: id,
          details: { removedFromFile: true, nowManagedBy: 'console' },
        });
      }
    }
    // Every record above bumped the configuration version.
    return {
      changed: tenants.some((t) => t.outcome !== 'unchanged' && t.outcome !== 'detached'),
      tenants,
    };
  });
}

const isEmpty = (c: RowChanges) =>
  c.added.length === 0 && c.removed.length === 0 && Object.keys(c.updated).length === 0;

/** A file tenant's settings as the admin log shows them (no secret among them). */
function settingsOf(row: Record<string, SqlValue>) {
  return {
    displayName: row.display_name,
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    signingAlg: row.signing_alg,
    keyRotationDays: row.key_rotation_days,
  };
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
      // A kept tenant the file declares again is the file's again.
      removed_from_file_at: null,
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

/** Makes `table` hold `desired` where it held `existing`; returns what changed. */
async function syncRows(
  tx: Sql,
  table: Table,
  existing: Row[],
  desired: Record<string, SqlValue>[],
  at: Date,
): Promise<RowChanges> {
  const keyOf = (row: Row) => JSON.stringify(table.key.map((column) => row[column]));
  // What the admin log names a row by: its own key column (client id, issuer, rule id).
  const nameOf = (row: Row) => String(row[table.key[table.key.length - 1] as string]);
  const left = new Map(existing.map((row) => [keyOf(row), row]));
  const changes: RowChanges = { added: [], updated: {}, removed: [] };
  for (const row of desired) {
    const old = left.get(keyOf(row));
    left.delete(keyOf(row));
    const differing = Object.entries(row)
      .filter(([column, v]) => !old || !sameValue(old[column], v))
      .map(([column]) => column);
    if (old && differing.length === 0) continue;
    const values = table.timestamps ? { ...row, created_at: at, updated_at: at } : row;
    await tx.run(upsertSql(table, Object.keys(values)), Object.values(values));
    if (old) changes.updated[nameOf(row)] = differing;
    else changes.added.push(nameOf(row));
  }
  const where = table.key.map((column) => `"${column}" = ?`).join(' AND ');
  for (const row of left.values()) {
    await tx.run(
      `DELETE FROM "${table.name}" WHERE ${where}`,
      table.key.map((c) => row[c] as SqlValue),
    );
    changes.removed.push(nameOf(row));
  }
  return changes;
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
