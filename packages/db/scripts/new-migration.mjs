#!/usr/bin/env node
/**
 * Writes the next migration for every dialect from the change between the snapshot
 * (migrations/schema.snapshot.prisma, the schema the existing migrations produce) and
 * prisma/schema.prisma, then updates the snapshot. See docs/migrations.md.
 *
 *   node scripts/new-migration.mjs <name>      e.g. add_client_contacts
 *
 * Offline: `prisma migrate diff` compares two schema files with the WebAssembly schema engine
 * (prisma.config.ts) and needs no database.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'prisma', 'schema.prisma');
const migrationsDir = join(root, 'migrations');
const snapshotPath = join(migrationsDir, 'schema.snapshot.prisma');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

/** The datasource block each dialect's copy of the schema gets. The URL is never used. */
const DATASOURCES = {
  sqlite: 'datasource db {\n  provider = "sqlite"\n  url      = "file:unused.db"\n}',
  postgresql: 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://unused"\n}',
};

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <name>   (lower-case letters, digits, "_")');
  process.exit(1);
}

const current = readFileSync(schemaPath, 'utf8');
const snapshot = existsSync(snapshotPath) ? readFileSync(snapshotPath, 'utf8') : undefined;
const work = mkdtempSync(join(tmpdir(), 'sts-migration-'));
try {
  const scripts = Object.fromEntries(
    Object.keys(DATASOURCES).map((dialect) => [dialect, diff(dialect)]),
  );
  const number = String(nextNumber()).padStart(4, '0');
  if (Object.values(scripts).every((sql) => sql === undefined)) {
    console.log('No schema change that needs SQL: no migration written.');
  } else {
    for (const [dialect, sql] of Object.entries(scripts)) {
      const file = join(migrationsDir, dialect, `${number}_${name}.sql`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, sql ?? '-- No change for this dialect.\n');
      console.log(`wrote ${relative(root, file)}`);
    }
  }
  writeFileSync(snapshotPath, current);
  console.log(`updated ${relative(root, snapshotPath)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The SQL that takes a database of `dialect` from the snapshot to the current schema. */
function diff(dialect) {
  const to = writeSchema(`${dialect}.current.prisma`, current, dialect);
  const from = snapshot
    ? ['--from-schema-datamodel', writeSchema(`${dialect}.snapshot.prisma`, snapshot, dialect)]
    : ['--from-empty'];
  const args = ['migrate', 'diff', ...from, '--to-schema-datamodel', to, '--script', '--exit-code'];
  const run = spawnSync(process.execPath, [prismaCli, ...args], { cwd: root, encoding: 'utf8' });
  // --exit-code: 0 = no difference, 2 = a difference (the script is on stdout), else an error.
  if (run.status === 0) return undefined;
  if (run.status === 2) return run.stdout;
  console.error(run.stderr || run.error);
  throw new Error(`prisma migrate diff failed for ${dialect}`);
}

function writeSchema(fileName, text, dialect) {
  const datasource = /^datasource\s+db\s*\{[^}]*\}/m;
  if (!datasource.test(text)) throw new Error(`${fileName}: no "datasource db { ... }" block`);
  const file = join(work, fileName);
  writeFileSync(file, text.replace(datasource, DATASOURCES[dialect]));
  return file;
}

function nextNumber() {
  const numbers = Object.keys(DATASOURCES).flatMap((dialect) => {
    const dir = join(migrationsDir, dialect);
    return existsSync(dir) ? readdirSync(dir).map((f) => Number.parseInt(f, 10) || 0) : [];
  });
  return Math.max(0, ...numbers) + 1;
}
