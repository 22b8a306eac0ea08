import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../src/errors';
import { databaseLocation } from '../src/location';
import { migrate, postgresMigrationDriver, sqliteMigrationDriver } from '../src/migrate';
import { openDatabase } from '../src/open';
import type { TestDatabase } from '../src/testing';
import { createEmptyPostgresDatabase, testDialect, useTempDir } from './temp-database';

const packageDir = join(import.meta.dirname, '..');
const tmp = useTempDir();

/** A migrations directory of the test's own; `files` are migrations of `dialect`, name -> SQL. */
function migrationsDir(
  files: Record<string, string>,
  dialect: 'sqlite' | 'postgresql' = 'sqlite',
): string {
  const dir = join(tmp.path, 'migrations');
  mkdirSync(join(dir, dialect), { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, dialect, name), sql);
  return dir;
}

/** The migrations shipped for a dialect, by name. */
const shipped = (dialect: 'sqlite' | 'postgresql') =>
  readdirSync(join(packageDir, 'migrations', dialect))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();

const TABLES = [
  '_sts_migrations',
  'admin_actions',
  'admin_invitations',
  'admin_memberships',
  'admin_sso_identities',
  'admin_users',
  'audit_events',
  'clients',
  'config_changes',
  'config_version',
  'rate_limit_counts',
  'rules',
  'signing_keys',
  'tenants',
  'test_issuer_keys',
  'trusted_issuers',
  'used_jtis',
];

function openSqlite(): BetterSqlite3.Database {
  const db = new BetterSqlite3(join(tmp.path, 'test.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

const tables = (db: BetterSqlite3.Database) =>
  db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .pluck()
    .all();

const PARENT_CHILD = `
CREATE TABLE "parent" ("id" TEXT NOT NULL PRIMARY KEY);
CREATE TABLE "child" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "parent_id" TEXT NOT NULL,
  CONSTRAINT "child_parent_fkey" FOREIGN KEY ("parent_id") REFERENCES "parent" ("id") ON DELETE CASCADE
);`;

describe('migrate (SQLite)', () => {
  it('applies the package migrations to a fresh database, then finds nothing to do', async () => {
    const db = openSqlite();
    expect(shipped('sqlite')[0]).toBe('0001_init');
    expect(await migrate(sqliteMigrationDriver(db))).toEqual(shipped('sqlite'));
    expect(tables(db)).toEqual(TABLES);
    expect(await migrate(sqliteMigrationDriver(db))).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies only the new files, in order, and records each with its SHA-256', async () => {
    const first = 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);\r\n';
    const dir = migrationsDir({ '0001_a.sql': first });
    const db = openSqlite();
    expect(await migrate(sqliteMigrationDriver(db), dir)).toEqual(['0001_a']);

    migrationsDir({
      '0003_c.sql': 'CREATE TABLE "c" ("id" INTEGER PRIMARY KEY);',
      '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);',
    });
    expect(await migrate(sqliteMigrationDriver(db), dir)).toEqual(['0002_b', '0003_c']);

    const applied = db.prepare('SELECT name, checksum FROM _sts_migrations ORDER BY name').all();
    // Line endings are normalized: a checkout with CRLF has the same checksum.
    const sha256 = createHash('sha256').update(first.replace('\r\n', '\n')).digest('hex');
    expect(applied[0]).toEqual({ name: '0001_a', checksum: sha256 });
    expect(applied).toHaveLength(3);
    db.close();
  });

  it('refuses to run when an applied migration was changed', async () => {
    const dir = migrationsDir({ '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);' });
    const db = openSqlite();
    await migrate(sqliteMigrationDriver(db), dir);
    migrationsDir({
      '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "x" TEXT);',
      '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);',
    });

    const run = migrate(sqliteMigrationDriver(db), dir);
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/0001_a was changed after it was applied/);
    expect(tables(db)).not.toContain('b');
    db.close();
  });

  it('refuses to run when an applied migration is missing', async () => {
    const dir = migrationsDir({
      '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);',
      '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);',
    });
    const db = openSqlite();
    await migrate(sqliteMigrationDriver(db), dir);
    rmSync(join(dir, 'sqlite', '0002_b.sql'));

    await expect(migrate(sqliteMigrationDriver(db), dir)).rejects.toThrow(
      /0002_b is applied to this database but migrations\/sqlite\/0002_b.sql is missing/,
    );
    db.close();
  });

  it('refuses a new migration numbered before one already applied', async () => {
    const dir = migrationsDir({ '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);' });
    const db = openSqlite();
    await migrate(sqliteMigrationDriver(db), dir);
    migrationsDir({ '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);' });

    await expect(migrate(sqliteMigrationDriver(db), dir)).rejects.toThrow(
      /0001_a is not applied but sorts before the applied 0002_b/,
    );
    db.close();
  });

  it('rolls a failing migration back entirely and records nothing', async () => {
    const dir = migrationsDir({
      '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "nope" VALUES (1);',
    });
    const db = openSqlite();

    await expect(migrate(sqliteMigrationDriver(db), dir)).rejects.toThrow(
      /Migration 0001_a failed and was rolled back: .*no such table: nope/,
    );
    expect(tables(db)).toEqual(['_sts_migrations']);
    expect(db.prepare('SELECT count(*) FROM _sts_migrations').pluck().get()).toBe(0);
    db.close();
  });

  it('rebuilds a referenced table the way Prisma writes it without cascading deletes', async () => {
    const dir = migrationsDir({ '0001_init.sql': PARENT_CHILD });
    const db = openSqlite();
    await migrate(sqliteMigrationDriver(db), dir);
    db.exec(`INSERT INTO "parent" VALUES ('p'); INSERT INTO "child" VALUES ('c', 'p');`);

    // What `prisma migrate diff` emits for SQLite when a column changes in place.
    migrationsDir({
      '0002_rebuild_parent.sql': `
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL DEFAULT '');
INSERT INTO "new_parent" ("id") SELECT "id" FROM "parent";
DROP TABLE "parent";
ALTER TABLE "new_parent" RENAME TO "parent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;`,
    });
    expect(await migrate(sqliteMigrationDriver(db), dir)).toEqual(['0002_rebuild_parent']);

    expect(db.prepare('SELECT * FROM "child"').all()).toEqual([{ id: 'c', parent_id: 'p' }]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a migration that leaves rows violating foreign keys', async () => {
    const dir = migrationsDir({ '0001_init.sql': PARENT_CHILD });
    const db = openSqlite();
    await migrate(sqliteMigrationDriver(db), dir);
    db.exec(`INSERT INTO "parent" VALUES ('p'); INSERT INTO "child" VALUES ('c', 'p');`);
    migrationsDir({ '0002_orphan.sql': `DELETE FROM "parent";` });

    await expect(migrate(sqliteMigrationDriver(db), dir)).rejects.toThrow(
      /0002_orphan leaves 1 rows violating foreign keys/,
    );
    expect(db.prepare('SELECT count(*) FROM "parent"').pluck().get()).toBe(1);
    db.close();
  });
});

describe('migrations/schema.snapshot.prisma', () => {
  it('is the current prisma/schema.prisma (a schema change comes with its migration)', () => {
    const schema = readFileSync(join(packageDir, 'prisma/schema.prisma'), 'utf8');
    const snapshot = readFileSync(join(packageDir, 'migrations/schema.snapshot.prisma'), 'utf8');
    expect(
      snapshot === schema,
      'prisma/schema.prisma changed without a migration: run `pnpm --filter @sts/db migration:new <name>` (docs/migrations.md)',
    ).toBe(true);
  });

  it('has the same numbered files for every dialect', () => {
    const names = (dialect: string) =>
      readdirSync(join(packageDir, 'migrations', dialect)).filter((f) => f.endsWith('.sql'));
    expect(names('postgresql')).toEqual(names('sqlite'));
  });

  it('0007 gives existing issuers the safe defaults and leaves rules to their defaults (decision 0010)', async () => {
    const dir = join(tmp.path, 'migrations');
    mkdirSync(join(dir, 'sqlite'), { recursive: true });
    const files = readdirSync(join(packageDir, 'migrations/sqlite')).sort();
    const copy = (f: string) =>
      writeFileSync(
        join(dir, 'sqlite', f),
        readFileSync(join(packageDir, 'migrations/sqlite', f), 'utf8'),
      );
    for (const f of files.filter((f) => f < '0007')) copy(f);
    const db = openSqlite();
    await migrate(sqliteMigrationDriver(db), dir);
    db.exec(`INSERT INTO tenants (id, display_name, access_token_ttl_seconds, signing_alg, source, updated_at)
      VALUES ('acme', 'Acme', 300, 'ES256', 'console', CURRENT_TIMESTAMP);
      INSERT INTO trusted_issuers (tenant_id, issuer, jwks_uri, audiences, algorithms)
      VALUES ('acme', 'https://open.example', 'https://open.example/jwks', '[]', '["RS256"]');`);
    copy('0007_policy_hardening.sql');
    expect(await migrate(sqliteMigrationDriver(db), dir)).toEqual(['0007_policy_hardening']);
    expect(
      db
        .prepare('SELECT issuer, audiences, any_audience, access_token_typ FROM trusted_issuers')
        .all(),
    ).toEqual([
      {
        issuer: 'https://open.example',
        audiences: '[]',
        any_audience: 0,
        access_token_typ: '["at+jwt"]',
      },
    ]);
    db.close();
  });
});

describe.skipIf(testDialect !== 'postgresql')('migrate (PostgreSQL)', () => {
  let database: TestDatabase | undefined;
  const pools: pg.Pool[] = [];
  /** A pool on the test's empty database (a runner: an STS replica). */
  const pool = () => {
    if (!database) throw new Error('no database');
    const created = new pg.Pool({ connectionString: database.url, max: 2 });
    // Dropping the database ends what is left of its connections.
    created.on('error', () => undefined);
    pools.push(created);
    return created;
  };
  const query = async <T = Record<string, unknown>>(text: string) =>
    (await pool().query(text)).rows as T[];
  const tables = async () =>
    (
      await query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      )
    ).map((r) => r.table_name);

  beforeEach(async () => {
    database = await createEmptyPostgresDatabase();
  });
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.end();
    await database?.drop();
    database = undefined;
  });

  it('applies the package migrations to a fresh database, then finds nothing to do', async () => {
    const driver = postgresMigrationDriver(pool());
    expect(await migrate(driver)).toEqual(shipped('postgresql'));
    expect(await tables()).toEqual(TABLES);
    expect(await migrate(driver)).toEqual([]);
    expect(await migrate(postgresMigrationDriver(pool()))).toEqual([]);
    const applied = await query<{ name: string }>('SELECT name FROM _sts_migrations');
    expect(applied.map((m) => m.name).sort()).toEqual(shipped('postgresql'));
  });

  it('applies only the new files, in order, and records each with its SHA-256', async () => {
    const first = 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);\r\n';
    const dir = migrationsDir({ '0001_a.sql': first }, 'postgresql');
    const driver = postgresMigrationDriver(pool());
    expect(await migrate(driver, dir)).toEqual(['0001_a']);

    migrationsDir(
      {
        '0003_c.sql': 'CREATE TABLE "c" ("id" INTEGER PRIMARY KEY);',
        '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a" INTEGER REFERENCES "a");',
      },
      'postgresql',
    );
    expect(await migrate(driver, dir)).toEqual(['0002_b', '0003_c']);

    const applied = await query('SELECT name, checksum FROM _sts_migrations ORDER BY name');
    const sha256 = createHash('sha256').update(first.replace('\r\n', '\n')).digest('hex');
    expect(applied[0]).toEqual({ name: '0001_a', checksum: sha256 });
    expect(applied).toHaveLength(3);
    expect(await tables()).toEqual(['_sts_migrations', 'a', 'b', 'c']);
  });

  it('refuses to run when an applied migration was changed (checksum mismatch)', async () => {
    const dir = migrationsDir(
      { '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);' },
      'postgresql',
    );
    await migrate(postgresMigrationDriver(pool()), dir);
    migrationsDir(
      {
        '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "x" TEXT);',
        '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);',
      },
      'postgresql',
    );

    const run = migrate(postgresMigrationDriver(pool()), dir);
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/0001_a was changed after it was applied/);
    expect(await tables()).toEqual(['_sts_migrations', 'a']);
  });

  it('refuses to run when an applied migration is missing', async () => {
    const dir = migrationsDir(
      {
        '0001_a.sql': 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);',
        '0002_b.sql': 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);',
      },
      'postgresql',
    );
    await migrate(postgresMigrationDriver(pool()), dir);
    rmSync(join(dir, 'postgresql', '0002_b.sql'));

    await expect(migrate(postgresMigrationDriver(pool()), dir)).rejects.toThrow(
      /0002_b is applied to this database but migrations\/postgresql\/0002_b.sql is missing/,
    );
  });

  it('rolls a failing migration back entirely (DDL included) and records nothing', async () => {
    const dir = migrationsDir(
      {
        '0001_a.sql':
          'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "nope" VALUES (1);',
      },
      'postgresql',
    );

    const run = migrate(postgresMigrationDriver(pool()), dir);
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/Migration 0001_a failed and was rolled back: .*"nope"/);
    expect(await tables()).toEqual(['_sts_migrations']);
    expect(await query('SELECT * FROM _sts_migrations')).toEqual([]);
  });

  it('applies each file once when runners start together (replicas)', async () => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => migrate(postgresMigrationDriver(pool()))),
    );
    // Every file applied by exactly one runner; the others found it done.
    expect(runs.flat().sort()).toEqual(shipped('postgresql'));
    const applied = await query<{ name: string }>('SELECT name FROM _sts_migrations');
    expect(applied.map((m) => m.name).sort()).toEqual(shipped('postgresql'));
    expect(await tables()).toEqual(TABLES);
  });

  it('opens the same fresh database from two replicas at once', async () => {
    if (!database) throw new Error('no database');
    const location = databaseLocation({ databaseUrl: database.url }, tmp.path);
    const [one, two] = await Promise.all([openDatabase(location), openDatabase(location)]);
    try {
      expect(await one?.ping()).toBe(true);
      expect(await two?.ping()).toBe(true);
      expect(await tables()).toEqual(TABLES);
    } finally {
      await one?.close();
      await two?.close();
    }
  });
});
