import 'server-only';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type Database, deriveKeys, loadOrCreateMasterKey, openDatabase } from '@sts/db';
import { consoleEnv, invocationDir } from '~/env';

export interface ConsoleDatabase {
  database: Database;
  keys: ReturnType<typeof deriveKeys>;
}

/** One database handle per server process, opened on first use (never at build time). */
const globalRef = globalThis as unknown as { stsConsoleDb?: Promise<ConsoleDatabase> };

export function consoleDb(): Promise<ConsoleDatabase> {
  globalRef.stsConsoleDb ??= open();
  return globalRef.stsConsoleDb;
}

async function open(): Promise<ConsoleDatabase> {
  const env = consoleEnv();
  const base = invocationDir();
  const raw = env.STS_DATABASE_URL.replace(/^file:/, '');
  const path = isAbsolute(raw) ? raw : resolve(base, raw);
  const dataDir = env.STS_DATA_DIR ? resolve(base, env.STS_DATA_DIR) : dirname(path);
  const keys = deriveKeys(loadOrCreateMasterKey(dataDir, env.STS_MASTER_KEY));
  // `next start` runs in apps/web; the bundle cannot locate @sts/db's migrations by itself.
  const migrationsDir = resolve(process.cwd(), '../../packages/db/migrations');
  const database = await openDatabase(`file:${path}`, { migrationsDir });
  return { database, keys };
}
