import { environment, invocationDir, readEnv } from './env.js';
import { startSts } from './start.js';

/** `pnpm sts`: the STS alone, configured by STS_* environment variables (see README). */
try {
  const env = readEnv();
  const sts = await startSts(env, environment(), invocationDir());
  console.log(`STS listening on ${sts.url} (issuers under ${sts.publicUrl}/t/<tenant>)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void sts.close().then(() => process.exit(0)));
} catch (err) {
  console.error(err instanceof TypeError ? err.message : err);
  process.exit(1);
}
