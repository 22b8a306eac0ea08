/**
 * Figures per target and connection count (medians over the rounds), and the ratios that carry
 * over from one machine to another: ours / peer and ours / limit.
 */
import type { WrkResult } from './wrk';

export interface Sample {
  wrk: WrkResult;
  cpuSeconds: number;
  rssBytes: number;
}

export interface Figures {
  exchangesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuPercent: number;
  perCpuSecond: number;
  rssMiB: number;
  /** Non-2xx responses and socket errors, summed over the rounds. */
  failed: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export function answered(w: WrkResult): number {
  return w.requests - w.non2xx;
}

export function figures(samples: Sample[]): Figures {
  return {
    exchangesPerSecond: median(samples.map((s) => answered(s.wrk) / s.wrk.seconds)),
    p50Ms: median(samples.map((s) => s.wrk.p50Ms)),
    p99Ms: median(samples.map((s) => s.wrk.p99Ms)),
    cpuPercent: median(samples.map((s) => (100 * s.cpuSeconds) / s.wrk.seconds)),
    perCpuSecond: median(samples.map((s) => answered(s.wrk) / s.cpuSeconds)),
    rssMiB: median(samples.map((s) => s.rssBytes / 2 ** 20)),
    failed: samples.reduce((sum, s) => sum + s.wrk.non2xx + s.wrk.socketErrors, 0),
  };
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const dec = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `results` maps target name to connection count to figures. */
export function resultsTable(results: Map<string, Map<number, Figures>>): string {
  const rows: string[][] = [];
  for (const [target, byConnections] of results)
    for (const [connections, f] of byConnections)
      rows.push([
        target,
        String(connections),
        int(f.exchangesPerSecond),
        dec(f.p50Ms, 2),
        dec(f.p99Ms, 2),
        int(f.cpuPercent),
        int(f.perCpuSecond),
        dec(f.rssMiB, 0),
        String(f.failed),
      ]);
  return table(
    [
      'Target',
      'Conns',
      'Exchanges/s',
      'p50 ms',
      'p99 ms',
      'Server CPU %',
      'Per CPU-s',
      'RSS MiB',
      'Failed',
    ],
    rows,
  );
}

/** Each STS target over each reference target, in exchanges/s and exchanges per CPU-second. */
export function ratiosTable(
  results: Map<string, Map<number, Figures>>,
  ours: string[],
  references: string[],
): string {
  const rows: string[][] = [];
  for (const name of ours)
    for (const reference of references)
      for (const [connections, f] of results.get(name) ?? []) {
        const r = results.get(reference)?.get(connections);
        if (!r) continue;
        rows.push([
          `${name} / ${reference}`,
          String(connections),
          dec(f.exchangesPerSecond / r.exchangesPerSecond, 2),
          dec(f.perCpuSecond / r.perCpuSecond, 2),
        ]);
      }
  return table(['Ratio', 'Conns', 'Exchanges/s', 'Per CPU-s'], rows);
}
