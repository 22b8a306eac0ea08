import { resolve } from 'node:path';
import { type ConsoleContext, consoleContext } from '@sts/console';
import { deriveKeys, loadOrCreateMasterKey } from '@sts/crypto';
import { databaseLocation, openDatabase } from '@sts/db';
import type { ConsoleEnv } from '~/env';

export interface ConsoleServer {
  /** What every console service works with. */
  ctx: ConsoleContext;
  /** Signs and encrypts the session cookies (next-auth `secret`). */
  sessionSecret: string;
}

/**
 * Opens the database and the master key the environment names (relative paths from `baseDir`,
 * where the command was run) and builds the console's services on them.
 */
export async function openConsole(env: ConsoleEnv, baseDir: string): Promise<ConsoleServer> {
  const location = databaseLocation(
    { databaseUrl: env.STS_DATABASE_URL, dataDir: env.STS_DATA_DIR },
    baseDir,
  );
  const keys = deriveKeys(loadOrCreateMasterKey(location.dataDir, env.STS_MASTER_KEY));
  // The console runs in apps/web; a bundle cannot locate @sts/db's migrations by itself.
  const migrationsDir = resolve(process.cwd(), '../../packages/db/migrations');
  const db = await openDatabase(location.path, { migrationsDir });
  return {
    ctx: consoleContext({
      db,
      keys,
      stsPublicUrl: env.STS_PUBLIC_URL,
      consoleUrl: env.NEXTAUTH_URL,
      allowLoopbackHttpJwks: env.STS_ALLOW_LOOPBACK_HTTP_JWKS,
    }),
    sessionSecret: keys.consoleSessionSecret.export().toString('base64url'),
  };
}
