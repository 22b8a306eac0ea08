/** The machine the figures were measured on, printed above them. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release } from 'node:os';

export function describeMachine(): string {
  const cpu =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  return `${cpu.trim()}, ${availableParallelism()} cores · Node ${process.version} · Linux ${release()} · load average ${load}`;
}
