import type { PrismaClient } from '../../generated/prisma/client';
import { rowNumber, type Sql } from './sql';

/**
 * The configuration version and its change log (decisions 0007 and 0022). Every change to what
 * the STS serves bumps `config_version` and records, in the same transaction, which tenant it
 * touched (`tenant_id`; NULL: every tenant). STS processes poll the version and reload only the
 * tenants logged since the version they applied. Write transactions are serialised (they take
 * the write lock, or the version row's lock), so versions commit in order.
 */

/** The tenant a change touched, or null for a change to every tenant. */
export type Touched = string | null;

/** How many versions the log keeps: a process that falls further behind reloads everything. */
export const KEPT_VERSIONS = 1000;

const BUMP =
  'INSERT INTO "config_version" ("id", "version") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "version" = "config_version"."version" + 1';
const LOG =
  'INSERT INTO "config_changes" ("version", "tenant_id") SELECT "version", CAST(? AS TEXT) FROM "config_version" WHERE "id" = 1';
const PRUNE = `DELETE FROM "config_changes" WHERE "version" <= (SELECT "version" FROM "config_version" WHERE "id" = 1) - ${KEPT_VERSIONS}`;

/** Bumps the version and logs the tenants it touched. Inside `write`. */
export async function bumpConfigVersion(
  tx: Sql,
  touched: Touched | readonly string[],
): Promise<void> {
  await tx.run(BUMP);
  for (const tenantId of Array.isArray(touched) ? touched : [touched as Touched])
    await tx.run(LOG, [tenantId]);
  await tx.run(PRUNE);
}

/** The same, as Prisma operations for a `$transaction([...])` (the same statements as LOG and PRUNE). */
export function bumpConfigVersionOps(prisma: PrismaClient, touched: Touched) {
  return [
    prisma.configVersion.upsert({
      where: { id: 1 },
      create: { id: 1, version: 1 },
      update: { version: { increment: 1 } },
    }),
    prisma.$executeRaw`INSERT INTO "config_changes" ("version", "tenant_id") SELECT "version", CAST(${touched} AS TEXT) FROM "config_version" WHERE "id" = 1`,
    prisma.$executeRawUnsafe(PRUNE),
  ] as const;
}

/** What changed after version `since`, up to `version`. */
export type ConfigChanges =
  /** These tenants, and only these. */
  | { tenantIds: string[] }
  /** A change to every tenant, or entries already pruned: reload everything. */
  | 'everything';

export async function changesBetween(
  sql: Sql,
  since: number,
  version: number,
): Promise<ConfigChanges> {
  const rows = await sql.all<{ version: unknown; tenant_id: string | null }>(
    'SELECT "version", "tenant_id" FROM "config_changes" WHERE "version" > ? AND "version" <= ?',
    [since, version],
  );
  // Every version in between has an entry unless it was pruned, or written by something that
  // logs nothing (an older STS, a hand-made UPDATE): then what changed is unknown.
  const logged = new Set(rows.map((row) => rowNumber(row.version)));
  if (logged.size !== version - since || rows.some((row) => row.tenant_id === null))
    return 'everything';
  return { tenantIds: [...new Set(rows.map((row) => row.tenant_id as string))].sort() };
}
