import type { Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createKeyResolver, DEFAULT_LIMITS, VerifiedSignatures } from '@sts/core';
import { RemoteJwks } from '@sts/core/remote-jwks';
import {
  deriveKeys,
  hashClientSecret,
  loadOrCreateMasterKey,
  sealedKeyPair,
  verifyClientSecret,
} from '@sts/crypto';
import { type Database, databaseLocation, openDatabase } from '@sts/db';
import type { StsApp } from './app';
import { clientSecretResolver, loadConfigFile } from './config-file';
import { reportFileApplication } from './config-file-report';
import type { Env } from './env';
import { TrustedProxies } from './http/source-address';
import { AuditRetention } from './runtime/audit-retention';
import { ConfigWatcher } from './runtime/config-watcher';
import { KeyLifecycle } from './runtime/key-lifecycle';
import { keyRingSigner } from './runtime/key-ring';
import { createLogger, type Logger } from './runtime/logger';
import { reportToSupervisor, StsMetrics, serveMetrics } from './runtime/metrics';
import { RateLimitSync } from './runtime/rate-limit-sync';
import { RateLimiter } from './runtime/rate-limiter';
import { failingReadinessChecks } from './runtime/readiness';
import { tenantLoader } from './runtime/tenant-loader';
import { TenantRegistry } from './runtime/tenant-registry';
import { createStsServer } from './server';

/**
 * What a test may replace: the clock, name resolution of JWKS fetches, the key lifecycle's
 * timer (off: the test runs `keyLifecycle.runOnce()` itself, after moving its clock), and the
 * logger (main.ts passes the process's; a test, one writing to a stream it reads).
 */
export interface StsHooks {
  clock?: () => number;
  keyLifecycleTimer?: boolean;
  jwksLookup?: LookupFunction;
  log?: Logger;
}

export interface RunningSts {
  url: string;
  publicUrl: string;
  /** The metrics listener's URL (STS_METRICS_PORT), without /metrics. */
  metricsUrl?: string;
  /** The audit retention job (run by itself; tests may run it once). */
  retention: AuditRetention;
  /** The signing key lifecycle (run by itself; tests may run it once). */
  keyLifecycle: KeyLifecycle;
  /** The configuration version whose changes are all in force in this process (tests). */
  appliedConfigVersion(): number;
  /** Shares the rate limits' counts with the other processes (run by itself; tests may run it once). */
  rateLimitSync: RateLimitSync;
  app: StsApp;
  database: Database;
  log: Logger;
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
  hooks: StsHooks = {},
  role: StsRole = 'single',
): Promise<RunningSts> {
  const clock = hooks.clock ?? Date.now;
  const log = hooks.log ?? createLogger(env.STS_LOG_LEVEL);
  const metrics = new StsMetrics();
  // A worker's metrics are served by its supervisor, summed over the workers (decision 0021):
  // it answers the supervisor's requests from the start, and does not bind the metrics port.
  if (role === 'worker') reportToSupervisor(metrics);
  const { remoteJwks, kek, pepper, database } = await prepareSts(env, processEnv, baseDir, {
    onAuditCommit: metrics.onAuditCommit,
    clock,
    jwksLookup: hooks.jwksLookup,
    once: role === 'single',
    log,
    onJwksFetch: (uri, ok) => metrics.countJwksFetch(uri, ok),
  });
  try {
    const metricsServer =
      env.STS_METRICS_PORT === undefined || role === 'worker'
        ? undefined
        : await serveMetrics(metrics.registry, env.STS_METRICS_PORT, env.STS_METRICS_HOST, log);
    const metricsUrl = metricsServer && listeningUrl(metricsServer, env.STS_METRICS_HOST);

    // The server listens first (port 0 picks a free one, which the public URL may need) and
    // answers 503 until the tenants are loaded. A worker that knows its public URL listens only
    // once loaded: it shares the port with serving workers, and a replacement must not take
    // their connections to answer 503 (the supervisor gives replacements the URL the first got).
    let app: StsApp | undefined;
    const server = createStsServer(() => app, {
      log,
      workerHeader: env.STS_DEBUG_WORKER_HEADER ? String(process.pid) : undefined,
    });
    const listen = () =>
      new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(env.STS_PORT, env.STS_HOST, () => ok());
      });
    const listenLater =
      role === 'worker' && (env.STS_PUBLIC_URL !== undefined || env.STS_PORT !== 0);
    if (!listenLater) await listen();
    const port = listenLater ? env.STS_PORT : (server.address() as AddressInfo).port;
    const publicUrl = (env.STS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');

    const lifecycle = { clockSkewSeconds: env.STS_CLOCK_SKEW_SECONDS };
    const advanceKeys = (tenantId: string, now: number) =>
      database.signingKeys.advanceLifecycle(tenantId, {
        now,
        ...lifecycle,
        // A tenant's keyRotationDays: the new key is pending as long as the console's "Rotate now" makes it.
        rotation: {
          make: (alg) => sealedKeyPair(kek, 'signing_keys', tenantId, alg),
          prepublishMs: env.STS_KEY_PREPUBLISH_SECONDS * 1000,
        },
      });
    const dueKeys = (now: number, tenantIds?: readonly string[]) =>
      database.signingKeys.dueLifecycle({ now, ...lifecycle, scheduled: true }, tenantIds);

    const registry = new TenantRegistry(
      tenantLoader({
        database,
        kek,
        publicUrl,
        log,
        advanceKeys: (tenantId) => advanceKeys(tenantId, clock()),
        dueKeys: (tenantIds) => dueKeys(clock(), tenantIds),
      }),
    );
    const watcher = new ConfigWatcher({
      readVersion: () => database.config.version(),
      changes: (since, version) => database.config.changes(since, version),
      reload: (tenantIds) => registry.reload(tenantIds),
      intervalMs: env.STS_CONFIG_POLL_MS,
      log,
    });
    // Loads every tenant, then polls for changes.
    await watcher.start();
    metrics.observeSigningKeys(
      () => registry.tenantIds().map((id) => ({ tenantId: id, keys: registry.ring(id).keys })),
      clock,
    );

    app = {
      publicUrl,
      registry,
      keys: createKeyResolver({
        remote: remoteJwks,
        ownKeys: (tenant) => registry.ring(tenant.id).own,
      }),
      signer: keyRingSigner((id) => registry.ring(id)),
      clientAuth: {
        verifySecret: (secret, hash) => verifyClientSecret(pepper, secret, hash),
        markJtiUsed: (tenantId, clientId, jti, exp) =>
          database.replay.markUsed(tenantId, clientId, jti, exp),
        remoteJwks,
        clock,
        clockSkewSeconds: env.STS_CLOCK_SKEW_SECONDS,
      },
      limits: { ...DEFAULT_LIMITS, clockSkewSeconds: env.STS_CLOCK_SKEW_SECONDS },
      signatures:
        env.STS_VERIFIED_TOKEN_CACHE_SIZE > 0
          ? new VerifiedSignatures(env.STS_VERIFIED_TOKEN_CACHE_SIZE, (hit) =>
              metrics.verifiedTokenCache.inc({ result: hit ? 'hit' : 'miss' }),
            )
          : undefined,
      clock,
      audit: (record) => database.audit.write(record),
      // `async`: the database's ping may be synchronous or not; either is awaited.
      ready: () =>
        failingReadinessChecks({ databaseAnswers: async () => database.ping(), registry }),
      rateLimits: {
        address: new RateLimiter({
          limit: env.STS_RATE_LIMIT_PER_ADDRESS,
          windowMs: env.STS_RATE_LIMIT_WINDOW_SECONDS * 1000,
          clock,
        }),
        client: new RateLimiter({
          limit: env.STS_RATE_LIMIT_PER_CLIENT,
          windowMs: env.STS_RATE_LIMIT_WINDOW_SECONDS * 1000,
          clock,
        }),
      },
      trustedProxies: new TrustedProxies(env.STS_TRUSTED_PROXIES),
      metrics,
      log,
      jwksMaxAgeSeconds: Math.min(JWKS_MAX_AGE_SECONDS, env.STS_KEY_PREPUBLISH_SECONDS),
    };

    if (listenLater) await listen();

    // Every process on the database counts the same windows (decision 0025).
    const rateLimitSync = new RateLimitSync({
      limiters: { ...app.rateLimits },
      store: database.rateLimits,
      windowMs: env.STS_RATE_LIMIT_WINDOW_SECONDS * 1000,
      clock,
      onError: (err) => log.error({ err }, 'rate limit counts not shared (counting alone)'),
    });
    rateLimitSync.start();

    const retention = new AuditRetention({
      retentionDays: env.STS_AUDIT_RETENTION_DAYS,
      deleteOlderThan: (cutoff, limit) => database.audit.deleteOlderThan(cutoff, limit),
      clock,
      onDeleted: (count) => metrics.auditDeleted.inc(count),
      log,
    });
    // Workers leave the job to their supervisor, which runs it once for all of them.
    if (role === 'single') retention.start();

    const keyLifecycle = new KeyLifecycle({
      due: (now) => dueKeys(now),
      advance: advanceKeys,
      reload: (tenantIds) => registry.reload(tenantIds),
      clock,
      intervalMs: KEY_LIFECYCLE_INTERVAL_MS,
      log,
    });
    if (hooks.keyLifecycleTimer !== false) keyLifecycle.start();

    return {
      url: listeningUrl(server, env.STS_HOST),
      publicUrl,
      metricsUrl,
      app,
      database,
      log,
      retention,
      keyLifecycle,
      appliedConfigVersion: () => watcher.appliedVersion,
      rateLimitSync,
      async close() {
        watcher.stop();
        await rateLimitSync.stop();
        await keyLifecycle.stop();
        await retention.stop();
        if (metricsServer) await new Promise<void>((ok) => metricsServer.close(() => ok()));
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

/** How long verifiers may cache a JWKS at most; shorter when keys are pre-published for less. */
const JWKS_MAX_AGE_SECONDS = 300;
/** How often the signing key lifecycle looks for due transitions (a read unless one is due). */
const KEY_LIFECYCLE_INTERVAL_MS = 5_000;

/** Who runs startSts: a single process (today's default), or a worker of the supervisor. */
export type StsRole = 'single' | 'worker';

/**
 * The start-up work that comes before serving: check the config file against the environment,
 * load (or create) the master key, open and migrate the database, and apply the config file.
 * A bad config file stops here, before anything is written. The supervisor runs it once before
 * forking workers (decision 0019); its workers run it again without applying the file (the master
 * key exists then and migrations are done: both steps find nothing to do).
 */
export async function prepareSts(
  env: Env,
  processEnv: NodeJS.ProcessEnv,
  baseDir: string,
  options: {
    clock: () => number;
    jwksLookup?: LookupFunction;
    /** Apply the config file and warn about the master key: once per start, not per worker. */
    once: boolean;
    /** After each audit commit (metrics). */
    onAuditCommit?: (size: number, ms: number) => void;
    log: Logger;
    /** Told of each JWKS fetch (metrics). */
    onJwksFetch?: (uri: string, ok: boolean) => void;
  },
) {
  const { clock, log } = options;
  const remoteJwks = new RemoteJwks({
    allowLoopbackHttp: env.STS_ALLOW_LOOPBACK_HTTP_JWKS,
    allowPrivateNetworks: env.STS_JWKS_ALLOW_PRIVATE_NETWORKS,
    maxStaleMs: env.STS_JWKS_MAX_STALE_SECONDS * 1000,
    lookup: options.jwksLookup,
    clock,
    log: (message) => log.warn(message),
    onFetch: options.onJwksFetch ?? (() => {}),
  });
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

  const location = databaseLocation(
    { databaseUrl: env.STS_DATABASE_URL, dataDir: env.STS_DATA_DIR },
    baseDir,
  );
  if (options.once) warnIfMasterKeyBesideDatabase(env, location, log);
  const { keyEncryptionKey: kek, clientSecretPepper: pepper } = deriveKeys(
    loadOrCreateMasterKey(location.dataDir, env.STS_MASTER_KEY),
  );
  const database = await openDatabase(location, {
    clock,
    poolSize: env.STS_DATABASE_POOL_SIZE,
    onAuditCommit: options.onAuditCommit,
  });
  try {
    if (config && options.once) {
      const applied = await database.config.applyFile(
        config,
        (client) => hashClientSecret(pepper, resolveSecret(client)),
        { removedTenants: env.STS_REMOVED_FILE_TENANTS },
      );
      reportFileApplication(applied, configFile as string, log);
    }
  } catch (err) {
    await database.close();
    throw err;
  }
  return { remoteJwks, kek, pepper, database };
}

function listeningUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The master key decrypts every signing key: kept in a file beside the database, one copy of the
 * data directory (a backup, a volume snapshot) holds both. Said loudly at every start; SECURITY.md
 * says how to keep it elsewhere.
 */
function warnIfMasterKeyBesideDatabase(
  env: Env,
  location: ReturnType<typeof databaseLocation>,
  log: Logger,
): void {
  if (
    env.STS_MASTER_KEY !== undefined ||
    location.dialect !== 'sqlite' ||
    resolve(location.dataDir) !== dirname(location.path)
  )
    return;
  log.warn(
    `WARNING: the master key is in ${join(location.dataDir, 'master.key')}, beside the database. ` +
      'Anyone with a copy of that directory can decrypt the signing keys. ' +
      'Set STS_MASTER_KEY from a secret store, or STS_DATA_DIR to another volume (SECURITY.md).',
  );
}

/**
 * SIGINT and SIGTERM close the STS (in-flight requests finish, the database closes) and exit.
 * A repeated signal (Ctrl+C reaches the launcher's whole process group, which also forwards it)
 * waits for the same close instead of killing the process half-way.
 */
export function closeOnSignals(sts: RunningSts): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void sts.close().then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
}
