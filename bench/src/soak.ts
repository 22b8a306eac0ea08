/**
 * The soak: one target under steady load (10 connections) for a long run after a warm-up, its
 * resident memory sampled every 10 s. Growth beyond 10 % of the first sample fails.
 */
import { usage } from './process-stats';
import { answered } from './report';
import type { Target } from './targets/target';
import type { WrkResult } from './wrk';

const CONNECTIONS = 10;
const SAMPLE_EVERY_MS = 10_000;
const BOUND_PERCENT = 10;

export interface SoakResult {
  answered: number;
  withinBound: boolean;
}

export async function soak(
  target: Target,
  seconds: number,
  warmupSeconds: number,
  load: (connections: number, seconds: number) => Promise<WrkResult>,
): Promise<SoakResult> {
  const warm = await load(CONNECTIONS, warmupSeconds);
  const mib = () => usage(target.rssPids).rssBytes / 2 ** 20;
  const samples = [mib()];
  const timer = setInterval(() => samples.push(mib()), SAMPLE_EVERY_MS);
  const w = await load(CONNECTIONS, seconds).finally(() => clearInterval(timer));
  samples.push(mib());
  const first = samples[0] ?? Number.NaN;
  const last = samples.at(-1) ?? Number.NaN;
  const growth = (100 * (last - first)) / first;
  console.log(
    `\nSoak of ${target.name}: ${seconds} s at ${CONNECTIONS} connections after ${warmupSeconds} s warm-up`,
  );
  console.log(
    `RSS MiB every ${SAMPLE_EVERY_MS / 1000} s: ${samples.map((s) => s.toFixed(0)).join(' ')}`,
  );
  console.log(
    `${Math.round(answered(w) / w.seconds).toLocaleString('en-US')} exchanges/s, p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms, ${w.non2xx} non-2xx, ${w.socketErrors} socket errors${w.socketErrorKinds ? ` (${w.socketErrorKinds})` : ''}`,
  );
  const withinBound = growth <= BOUND_PERCENT && w.non2xx + w.socketErrors === 0;
  console.log(
    `RSS growth ${growth.toFixed(1)} % (bound ${BOUND_PERCENT} %): ${withinBound ? 'ok' : 'FAILED'}`,
  );
  return { answered: answered(warm) + answered(w), withinBound };
}
