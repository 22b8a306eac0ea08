/**
 * CPU time and resident memory of a server's whole process tree (its workers and, for a database
 * server, its backends), read from /proc. CPU is utime + stime of every process (all its threads).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const PAGE_BYTES = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());

interface Stat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssBytes: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ")".
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, rss (pages) 24.
    return {
      pid,
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssBytes: Number(fields[21]) * PAGE_BYTES,
    };
  } catch {
    return undefined; // the process ended while we looked
  }
}

function tree(roots: number[]): Stat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is Stat => s !== undefined);
  const wanted = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of all)
      if (!wanted.has(s.pid) && wanted.has(s.ppid)) {
        wanted.add(s.pid);
        grew = true;
      }
  }
  return all.filter((s) => wanted.has(s.pid));
}

export interface Usage {
  cpuSeconds: number;
  rssBytes: number;
}

/** CPU seconds so far and RSS now, of the trees rooted at `cpuRoots`; RSS of `rssRoots` only. */
export function usage(cpuRoots: number[], rssRoots: number[] = cpuRoots): Usage {
  const cpuTicks = tree(cpuRoots).reduce((sum, s) => sum + s.cpuTicks, 0);
  const rssBytes = tree(rssRoots).reduce((sum, s) => sum + s.rssBytes, 0);
  return { cpuSeconds: cpuTicks / TICKS_PER_SECOND, rssBytes };
}
