import { deriveKeys, loadOrCreateMasterKey } from '@sts/crypto';
import { databaseLocation, openDatabase } from '@sts/db';
import { type ConsoleContext, consoleContext } from './context';

export interface OpenConsoleOptions {
  /** STS_DATABASE_URL and STS_DATA_DIR, relative to `baseDir` (where the command was run). */
  databaseUrl: string;
  dataDir?: string;
  baseDir: string;
  /** STS_MASTER_KEY; else the data directory's master.key. */
  masterKey?: string;
  /** The migrations directory, for a bundled server (see openDatabase). */
  migrationsDir?: string;
  stsPublicUrl: string;
  consoleUrl: string;
  allowLoopbackHttpJwks: boolean;
  allowPrivateNetworksJwks?: boolean;
  /** STS_KEY_PREPUBLISH_SECONDS (the STS's setting). */
  keyPrepublishSeconds?: number;
  /** STS_DATABASE_POOL_SIZE: PostgreSQL connections of the console. */
  databasePoolSize?: number;
}

export interface OpenConsole {
  /** What every console service works with. */
  ctx: ConsoleContext;
  /** Signs and encrypts the console's session cookies. */
  sessionSecret: string;
}

/** Opens the database and the master key the STS uses, and the console's services on them. */
export async function openConsole(options: OpenConsoleOptions): Promise<OpenConsole> {
  const location = databaseLocation(
    { databaseUrl: options.databaseUrl, dataDir: options.dataDir },
    options.baseDir,
  );
  const keys = deriveKeys(loadOrCreateMasterKey(location.dataDir, options.masterKey));
  const db = await openDatabase(location, {
    migrationsDir: options.migrationsDir,
    poolSize: options.databasePoolSize,
  });
  return {
    ctx: consoleContext({
      db,
      keys,
      stsPublicUrl: options.stsPublicUrl,
      consoleUrl: options.consoleUrl,
      allowLoopbackHttpJwks: options.allowLoopbackHttpJwks,
      allowPrivateNetworksJwks: options.allowPrivateNetworksJwks,
      keyPrepublishSeconds: options.keyPrepublishSeconds,
    }),
    sessionSecret: keys.consoleSessionSecret.export().toString('base64url'),
  };
}
