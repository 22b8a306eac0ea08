import type { AddressInfo } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DEFAULT_LIMITS } from '@sts/core';
import { RemoteJwks } from '@sts/core/remote-jwks';
import * as db from '@sts/db';
import type { StsApp } from './app';
import { clientSecretResolver, loadConfigFile } from './config-file';
import type { Env } from './env';
import { ConfigWatcher } from './runtime/config-watcher';
import { stsKeyResolver } from './runtime/key-resolver';
import { keyRingSigner } from './runtime/key-ring';
import { TenantRegistry } from './runtime/tenant-registry';
import { createStsServer } from './server';

export interface RunningSts {
  url: string;
  publicUrl: string;
  app: StsApp;
  database: db.Database;
  close(): Promise<void>;
}

/**
 * Boots the STS: validate the config file, open and migrate the database, apply the file,
 * load tenants and keys into memory, listen, and watch for configuration changes.
 * A bad config file stops the start before anything is written.
 */
export async function startSts(
  env: Env,
  processEnv: NodeJS.ProcessEnv,
  baseDir: string,
): Promise<RunningSts> {
  const remoteJwks = new RemoteJwks({ allowLoopbackHttp: env.STS_ALLOW_LOOPBACK_HTTP_JWKS });
  const configFile = env.STS_CONFIG_FILE ? resolve(baseDir, env.STS_CONFIG_FILE) : undefined;
  const config = configFile ? await loadConfigFile(configFile) : undefined;
  // Checks that depend on the environment, reported like the file's own problems: file, path, reason.
  const check = (path: string, run: () => unknown) => {
    try {
      run();
    } catch (err) {
      throw new TypeError(
        `Config file ${configFile} is invalid:\n  ${path}: ${(err as Error).message}`,
      );
    }
  };
  const resolveSecret = clientSecretResolver(processEnv);
  config?.tenants.forEach((tenant, t) => {
    tenant.trustedIssuers.forEach(({ jwksUri }, i) => {
      if (jwksUri)
        check(`tenants[${t}].trustedIssuers[${i}].jwksUri`, () =>
          remoteJwks.assertFetchable(jwksUri),
        );
    });
    tenant.clients.forEach((client, c) => {
      const at = `tenants[${t}].clients[${c}]`;
      const { jwksUri } = client;
      if (jwksUri) check(`${at}.jwksUri`, () => remoteJwks.assertFetchable(jwksUri));
      // private_key_jwt clients have keys, not a secret (applyConfigFile stores no hash for them).
      if (client.authMethod !== 'private_key_jwt')
        check(`${at}.${client.secretEnv ? 'secretEnv' : 'secret'}`, () => resolveSecret(client));
    });
  });

  const databaseUrl = sqliteUrl(env.STS_DATABASE_URL, baseDir);
  const dataDir = env.STS_DATA_DIR
    ? resolve(baseDir, env.STS_DATA_DIR)
    : dirname(databaseUrl.slice('file:'.length));
  const { keyEncryptionKey: kek, clientSecretPepper: pepper } = db.deriveKeys(
    db.loadOrCreateMasterKey(dataDir, env.STS_MASTER_KEY),
  );
  const database = await db.openDatabase(databaseUrl);
  try {
    if (config) await db.applyConfigFile(database, pepper, config, resolveSecret);

    // The server listens first (port 0 picks a free one, which the public URL may need) and
    // answers 503 until the tenants are loaded.
    let app: StsApp | undefined;
    const server = createStsServer(() => app);
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(env.STS_PORT, env.STS_HOST, () => ok());
    });
    const { port } = server.address() as AddressInfo;
    const publicUrl = (env.STS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');

    const clock = Date.now;
    const registry = new TenantRegistry(async () => {
      const tenants = await db.loadTenants(database, publicUrl);
      return Promise.all(
        tenants.map(async ({ tenant, clients }) => {
          await db.ensureActiveKey(database, kek, tenant.id, tenant.signingAlg);
          return { tenant, clients, keys: await db.loadKeys(database, kek, tenant.id) };
        }),
      );
    });
    await registry.reload();

    const audit = db.createAuditWriter(database, clock);
    const replay = db.createReplayStore(database);
    app = {
      publicUrl,
      registry,
      keys: stsKeyResolver(registry, remoteJwks),
      signer: keyRingSigner((id) => registry.ring(id)),
      clientAuth: {
        verifySecret: (secret, hash) =>
          db.verifyClientSecret(pepper, secret, hash ?? UNKNOWN_CLIENT_HASH),
        markJtiUsed: (tenantId, clientId, jti, exp) =>
          replay.markUsed(tenantId, clientId, jti, exp),
        remoteJwks,
        clock,
        clockSkewSeconds: env.STS_CLOCK_SKEW_SECONDS,
      },
      limits: { ...DEFAULT_LIMITS, clockSkewSeconds: env.STS_CLOCK_SKEW_SECONDS },
      clock,
      audit: (entry) => audit.write(entry),
      ready: () => isReachable(database),
    };

    const watcher = new ConfigWatcher(
      () => db.readConfigVersion(database),
      () => registry.reload(),
      env.STS_CONFIG_POLL_MS,
    );
    watcher.start();

    return {
      url: `http://${env.STS_HOST.includes(':') ? `[${env.STS_HOST}]` : env.STS_HOST}:${port}`,
      publicUrl,
      app,
      database,
      async close() {
        watcher.stop();
        await new Promise<void>((ok) => server.close(() => ok()));
        server.closeAllConnections();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Compared against when the client is unknown, so both cases cost one HMAC. */
const UNKNOWN_CLIENT_HASH = `hmac-sha256$${'A'.repeat(43)}`;

function isReachable(database: db.Database): boolean {
  try {
    database.sqlite.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

/** STS_DATABASE_URL: `file:<path>` (relative to where the command was run) or a bare path. */
function sqliteUrl(url: string, baseDir: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return `file:${isAbsolute(path) ? path : resolve(baseDir, path)}`;
}
