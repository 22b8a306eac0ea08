import { readEnv } from './env.js';
import { startSts } from './start.js';

/** `pnpm sts`: the STS alone, configured by STS_* environment variables (see README). */
try {
  const env = readEnv();
  // pnpm runs scripts inside the package; relative paths are meant from where the command was run.
  const sts = await startSts(env, process.env, process.env.INIT_CWD ?? process.cwd());
  console.log(`STS listening on ${sts.url} (issuers under ${sts.publicUrl}/t/<tenant>)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void sts.close().then(() => process.exit(0)));
} catch (err) {
  console.error(err instanceof TypeError ? err.message : err);
  process.exit(1);
}
