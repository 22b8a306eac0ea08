import cluster from 'node:cluster';
import { environment, invocationDir, readEnv } from './env';
import { createLogger } from './runtime/logger';
import { closeOnSignals, startSts } from './start';
import { supervise, type WorkerListening } from './supervisor';

/**
 * `pnpm sts` and production (`node apps/sts/dist/main.js`): the STS alone, configured by STS_*
 * environment variables (see README). With STS_WORKERS > 1 this process supervises that many
 * workers (supervisor.ts), each of which runs this file again as a worker. Everything it writes
 * is a JSON log line on stdout (decision 0021).
 */
// Until the environment is read (a bad one is reported through this one), then STS_LOG_LEVEL's.
let log = createLogger('info');
try {
  const env = readEnv();
  log = createLogger(env.STS_LOG_LEVEL);
  if (cluster.isWorker) {
    const sts = await startSts(env, environment(), invocationDir(), { log }, 'worker');
    closeOnSignals(sts);
    const listening: WorkerListening = {
      type: 'sts-listening',
      url: sts.url,
      publicUrl: sts.publicUrl,
    };
    process.send?.(listening);
  } else if (env.STS_WORKERS > 1) {
    await supervise(env, environment(), invocationDir(), log);
  } else {
    const sts = await startSts(env, environment(), invocationDir(), { log });
    // Handlers first: whoever waits for the line below may signal right after it.
    closeOnSignals(sts);
    log.info(
      { url: sts.url, public_url: sts.publicUrl, metrics_url: sts.metricsUrl },
      `STS listening on ${sts.url} (issuers under ${sts.publicUrl}/t/<tenant>)`,
    );
    // Lines go out in chunks (logger.ts); whoever waits for this one hears it at once.
    log.flush();
  }
} catch (err) {
  // A bad configuration file or environment is a TypeError whose message says what to fix;
  // anything else keeps its stack.
  if (err instanceof TypeError) log.fatal(err.message);
  else log.fatal({ err }, 'STS start failed');
  process.exit(1);
}
