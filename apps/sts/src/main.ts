import cluster from 'node:cluster';
import { environment, invocationDir, readEnv } from './env';
import { closeOnSignals, startSts } from './start';
import { supervise, type WorkerListening } from './supervisor';

/**
 * `pnpm sts` and production (`node apps/sts/dist/main.js`): the STS alone, configured by STS_*
 * environment variables (see README). With STS_WORKERS > 1 this process supervises that many
 * workers (supervisor.ts), each of which runs this file again as a worker.
 */
try {
  const env = readEnv();
  if (cluster.isWorker) {
    const sts = await startSts(env, environment(), invocationDir(), {}, 'worker');
    closeOnSignals(sts);
    const listening: WorkerListening = {
      type: 'sts-listening',
      url: sts.url,
      publicUrl: sts.publicUrl,
    };
    process.send?.(listening);
  } else if (env.STS_WORKERS > 1) {
    await supervise(env, environment(), invocationDir());
  } else {
    const sts = await startSts(env, environment(), invocationDir());
    // Handlers first: whoever waits for the line below may signal right after it.
    closeOnSignals(sts);
    console.log(`STS listening on ${sts.url} (issuers under ${sts.publicUrl}/t/<tenant>)`);
  }
} catch (err) {
  console.error(err instanceof TypeError ? err.message : err);
  process.exit(1);
}
