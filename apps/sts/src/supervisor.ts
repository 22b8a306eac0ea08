import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { Env } from './env';
import { AuditRetention } from './runtime/audit-retention';
import type { Logger } from './runtime/logger';
import { clusterMetricsSource, serveMetrics } from './runtime/metrics';
import { prepareSts } from './start';

/** Where the supervisor's metrics listener is, with STS_METRICS_PORT (0 picks a free port). */
function metricsUrlOf(server: Awaited<ReturnType<typeof serveMetrics>>, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** What a worker tells its supervisor once it serves. */
export interface WorkerListening {
  type: 'sts-listening';
  url: string;
  publicUrl: string;
}

/** A worker that lived this long before dying was healthy: its successor starts at once. */
const HEALTHY_MS = 10_000;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 10_000;
/** After SIGTERM, workers still busy after this long are killed. */
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * `STS_WORKERS` > 1: this (primary) process does the once-per-start work, then forks the workers,
 * which share the listening port (node:cluster hands each connection to one of them). Decision
 * 0019.
 *
 * - Before forking: the config file is checked and applied, the master key loaded or created,
 *   migrations run (prepareSts). A bad file stops the start here, once, before any worker.
 * - Audit retention runs here only, not in every worker.
 * - With STS_METRICS_PORT, this process serves the metrics, summed over the workers (decision
 *   0021); the workers do not bind the port.
 * - A worker that dies is replaced; one that died within 10 s of its start is replaced after a
 *   delay that doubles each time (100 ms up to 10 s), logged. A worker that dies before the
 *   first "listening" (the port is taken, say) stops the start instead.
 * - SIGTERM or SIGINT: no more replacements; each worker stops accepting, finishes its in-flight
 *   requests and exits (closeOnSignals); then this process closes the database and exits 0.
 */
export async function supervise(
  env: Env,
  processEnv: NodeJS.ProcessEnv,
  baseDir: string,
  log: Logger,
): Promise<void> {
  const { database } = await prepareSts(env, processEnv, baseDir, {
    clock: Date.now,
    once: true,
    log,
  });
  const retention = new AuditRetention({
    retentionDays: env.STS_AUDIT_RETENTION_DAYS,
    deleteOlderThan: (cutoff, limit) => database.audit.deleteOlderThan(cutoff, limit),
    clock: Date.now,
    log,
  });
  retention.start();
  const metricsServer =
    env.STS_METRICS_PORT === undefined
      ? undefined
      : await serveMetrics(clusterMetricsSource(), env.STS_METRICS_PORT, env.STS_METRICS_HOST, log);
  const metricsUrl = metricsServer && metricsUrlOf(metricsServer, env.STS_METRICS_HOST);

  const workers = env.STS_WORKERS;
  const listening = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let quickDeaths = 0;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    const force = setTimeout(() => {
      for (const w of alive) w.process.kill('SIGKILL');
    }, DRAIN_TIMEOUT_MS);
    await Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((done) => {
            if (w.isDead()) return done();
            w.once('exit', () => done());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    clearTimeout(force);
    if (metricsServer)
      await new Promise<void>((ok) => {
        metricsServer.close(() => ok());
        metricsServer.closeAllConnections();
      });
    await retention.stop();
    await database.close();
    process.exit(code);
  };

  /**
   * The public URL the workers computed (with STS_PORT=0 it names the port the first listen
   * picked). Replacements get it: a worker that knows it loads its tenants before it listens.
   */
  let publicUrl: string | undefined;
  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork(publicUrl ? { STS_PUBLIC_URL: publicUrl } : {});
    worker.on('message', (message: WorkerListening) => {
      if (message?.type !== 'sts-listening') return;
      publicUrl = message.publicUrl;
      listening.add(worker);
      if (announced || listening.size < workers) return;
      announced = true;
      log.info(
        { url: message.url, public_url: message.publicUrl, metrics_url: metricsUrl, workers },
        `STS listening on ${message.url} (issuers under ${message.publicUrl}/t/<tenant>; ${workers} workers)`,
      );
      log.flush();
    });
    worker.on('exit', (code, signal) => {
      listening.delete(worker);
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      if (!announced) {
        log.fatal(
          { worker_pid: worker.process.pid, exit: how },
          `STS worker ${worker.process.pid} exited (${how}) before serving`,
        );
        void stop(1);
        return;
      }
      quickDeaths = Date.now() - startedAt < HEALTHY_MS ? quickDeaths + 1 : 0;
      const delay =
        quickDeaths === 0 ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (quickDeaths - 1), MAX_DELAY_MS);
      log.error(
        { worker_pid: worker.process.pid, exit: how, restart_delay_ms: delay },
        `STS worker ${worker.process.pid} exited (${how}); starting another in ${delay} ms`,
      );
      setTimeout(() => {
        if (!stopping) fork();
      }, delay);
    });
  };

  // Handlers first: whoever waits for the "listening" line may signal right after it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0));
  for (let i = 0; i < workers; i++) fork();
}
