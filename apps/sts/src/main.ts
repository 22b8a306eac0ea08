import { environment, invocationDir, readEnv } from './env';
import { closeOnSignals, startSts } from './start';

/** `pnpm sts`: the STS alone, configured by STS_* environment variables (see README). */
try {
  const env = readEnv();
  const sts = await startSts(env, environment(), invocationDir());
  // Handlers first: whoever waits for the line below may signal right after it.
  closeOnSignals(sts);
  console.log(`STS listening on ${sts.url} (issuers under ${sts.publicUrl}/t/<tenant>)`);
} catch (err) {
  console.error(err instanceof TypeError ? err.message : err);
  process.exit(1);
}
