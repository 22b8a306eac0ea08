/**
 * The measurement: a warm-up of every target, then rounds in which every target is loaded once
 * at every connection count, each round starting with another target, so drift and order hit
 * all targets alike. CPU time and RSS of the target are read around each wrk run.
 */
import { usage } from './process-stats';
import { answered, type Figures, figures, type Sample } from './report';
import type { Target } from './targets/target';
import type { WrkResult } from './wrk';

export type Load = (t: Target, connections: number, seconds: number) => Promise<WrkResult>;

export interface Measurement {
  /** Per target, per connection count: medians over the rounds. */
  results: Map<string, Map<number, Figures>>;
  /** 2xx responses per target over every wrk run, warm-up included (checked against audit). */
  answeredBy: Map<string, number>;
  /** Non-2xx responses and socket errors per target over every wrk run. */
  failedBy: Map<string, number>;
}

export async function measure(
  targets: Target[],
  o: { connections: number[]; seconds: number; rounds: number; warmup: number },
  load: Load,
): Promise<Measurement> {
  const answeredBy = new Map<string, number>();
  const failedBy = new Map<string, number>();
  const tally = (name: string, w: WrkResult) => {
    answeredBy.set(name, (answeredBy.get(name) ?? 0) + answered(w));
    failedBy.set(name, (failedBy.get(name) ?? 0) + w.non2xx + w.socketErrors);
  };
  for (const t of targets) tally(t.name, await load(t, Math.max(...o.connections), o.warmup));

  const samples = new Map<string, Sample[]>();
  const key = (name: string, connections: number) => `${name}\n${connections}`;
  for (let round = 0; round < o.rounds; round++)
    for (const connections of o.connections)
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + round) % targets.length] as Target;
        const before = usage(t.cpuPids, t.rssPids);
        const w = await load(t, connections, o.seconds);
        const after = usage(t.cpuPids, t.rssPids);
        tally(t.name, w);
        const list = samples.get(key(t.name, connections)) ?? [];
        samples.set(key(t.name, connections), list);
        list.push({
          wrk: w,
          cpuSeconds: after.cpuSeconds - before.cpuSeconds,
          rssBytes: after.rssBytes,
        });
      }

  const results = new Map<string, Map<number, Figures>>();
  for (const t of targets)
    results.set(
      t.name,
      new Map(o.connections.map((c) => [c, figures(samples.get(key(t.name, c)) ?? [])])),
    );
  return { results, answeredBy, failedBy };
}
