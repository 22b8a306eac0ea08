/** The command line of `pnpm --filter @sts/bench bench`, checked: bench/README.md lists it. */
import { parseArgs } from 'node:util';
import { ALGS, MODES } from './fixtures';

/** The targets run by default; `limit-jose` (the limit through jose) only when asked for. */
export const DEFAULT_TARGETS = ['sts-sqlite', 'sts-postgres', 'peer', 'limit'] as const;
export const TARGETS = [...DEFAULT_TARGETS, 'limit-jose'] as const;

function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new TypeError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`--${flag} must be a positive integer`);
  return n;
}

export function readOptions(argv: string[]) {
  const { values } = parseArgs({
    // pnpm passes the `--` of `pnpm bench -- --seconds 5` on.
    args: argv.filter((arg) => arg !== '--'),
    options: {
      targets: { type: 'string', default: DEFAULT_TARGETS.join(',') },
      connections: { type: 'string', default: '10,50' },
      seconds: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string' },
      mode: { type: 'string', default: 'distinct' },
      alg: { type: 'string', default: 'ES256' },
      pool: { type: 'string', default: '1000' },
      workers: { type: 'string', default: '1' },
      'every-core': { type: 'boolean', default: false },
      soak: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  });
  // The smoke: every target, one short round, a small pool; it checks that the bench runs.
  const smoke = values.smoke;
  return {
    smoke,
    build: !values['no-build'],
    targets: (smoke ? DEFAULT_TARGETS.join(',') : values.targets)
      .split(',')
      .map((t) => choice(t.trim(), TARGETS, 'targets')),
    connections: (smoke ? '4' : values.connections)
      .split(',')
      .map((c) => positive(c, 'connections')),
    seconds: smoke ? 1 : positive(values.seconds, 'seconds'),
    rounds: smoke ? 1 : positive(values.rounds, 'rounds'),
    // A soak measures memory once the heap has settled: its warm-up is longer.
    warmup: smoke ? 2 : positive(values.warmup ?? (values.soak ? '60' : '3'), 'warmup'),
    mode: choice(values.mode, MODES, 'mode'),
    alg: choice(values.alg, ALGS, 'alg'),
    pool: smoke ? 20 : positive(values.pool, 'pool'),
    workers: positive(values.workers, 'workers'),
    everyCore: values['every-core'],
    soakSeconds: values.soak === undefined ? undefined : positive(values.soak, 'soak'),
  };
}

export type Options = ReturnType<typeof readOptions>;
