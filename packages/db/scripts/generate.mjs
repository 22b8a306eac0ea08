#!/usr/bin/env node
/**
 * Generates the Prisma clients: generated/prisma for SQLite (prisma/schema.prisma as it is) and
 * generated/prisma-postgresql for PostgreSQL, from a copy of the schema whose datasource is
 * PostgreSQL's (a Prisma schema names one provider). Offline: no engine is downloaded (ADR 0002).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

function generate(schema) {
  const run = spawnSync(process.execPath, [prismaCli, 'generate', '--no-hints', ...schema], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

generate([]);

const schema = readFileSync(join(root, 'prisma', 'schema.prisma'), 'utf8');
const postgres = schema
  .replace(/provider = "sqlite"/, 'provider = "postgresql"')
  .replace(/url {6}= "file:unused\.db"/, 'url      = "postgresql://unused"')
  .replace(
    /output {5}= "\.\.\/generated\/prisma"/,
    `output     = ${JSON.stringify(join(root, 'generated', 'prisma-postgresql'))}`,
  );
if (!postgres.includes('"postgresql"') || !postgres.includes('prisma-postgresql'))
  throw new Error(
    'prisma/schema.prisma: the datasource or generator block changed; update scripts/generate.mjs',
  );
const work = mkdtempSync(join(tmpdir(), 'sts-prisma-'));
try {
  const file = join(work, 'schema.prisma');
  writeFileSync(file, postgres);
  generate(['--schema', file]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
