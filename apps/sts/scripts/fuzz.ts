/**
 * The long fuzz run (docs/decisions/0016): the properties of test/fuzz.test.ts, against a real
 * STS, for as long as asked.
 *
 *   pnpm --filter @sts/sts fuzz -- --seconds 300 [--property <name>] [--seed <n> [--path <p>]]
 *
 * The properties are claims, headers, forgeries, introspection and raw (test/fuzz/properties.ts);
 * --property runs one of them. A failure prints fast-check's seed and path: pass them back, with the
 * failing property, to replay that very case.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seconds: { type: 'string', default: '300' },
    seed: { type: 'string' },
    path: { type: 'string' },
    property: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
if (!Number.isInteger(seconds) || seconds < 1) {
  console.error('--seconds takes a whole number of seconds, at least 1');
  process.exit(2);
}

const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', 'test/fuzz.test.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_SECONDS: String(seconds),
    ...(values.seed ? { FC_SEED: values.seed } : {}),
    ...(values.path ? { FC_PATH: values.path } : {}),
    ...(values.property ? { FUZZ_PROPERTY: values.property } : {}),
  },
});
process.exit(result.status ?? 1);
