import { resolve } from 'node:path';
import { type OpenConsole, openConsole } from '@sts/console';
import type { ConsoleEnv } from '~/env';

/**
 * The console's services on the database and master key the environment names (relative paths
 * from `baseDir`, where the command was run).
 */
export function openConsoleFromEnv(env: ConsoleEnv, baseDir: string): Promise<OpenConsole> {
  return openConsole({
    databaseUrl: env.STS_DATABASE_URL,
    dataDir: env.STS_DATA_DIR,
    baseDir,
    masterKey: env.STS_MASTER_KEY,
    // The console runs in apps/web; a bundle cannot locate @sts/db's migrations by itself.
    migrationsDir: resolve(process.cwd(), '../../packages/db/migrations'),
    stsPublicUrl: env.STS_PUBLIC_URL,
    keyPrepublishSeconds: env.STS_KEY_PREPUBLISH_SECONDS,
    consoleUrl: env.NEXTAUTH_URL,
    allowLoopbackHttpJwks: env.STS_ALLOW_LOOPBACK_HTTP_JWKS,
    allowPrivateNetworksJwks: env.STS_JWKS_ALLOW_PRIVATE_NETWORKS,
    databasePoolSize: env.STS_DATABASE_POOL_SIZE,
  });
}
