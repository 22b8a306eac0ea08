/**
 * The load generator: Debian's wrk (C, event loop), pinned to its own core, replaying the request
 * bodies of a file in turn. Installed with apt-get when missing and running as root.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasCommand, installDebianPackage } from '../../scripts/debian-package.mjs';

const run = promisify(execFile);

export function ensureWrk(): void {
  if (hasCommand('wrk')) return;
  installDebianPackage('wrk', 'The benchmark');
  if (!hasCommand('wrk')) throw new Error('wrk was installed but is not on the PATH');
}

// Each wrk thread has its own Lua state: each reads the file and cycles through its lines.
const SCRIPT = `
local bodies = {}
local next_body = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
function init(args)
  wrk.headers["Authorization"] = args[2]
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
end
function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
`;

export function writeScript(dir: string): string {
  const file = join(dir, 'exchange.lua');
  writeFileSync(file, SCRIPT);
  return file;
}

export interface WrkResult {
  requests: number;
  /** Responses with a status other than 2xx or 3xx. */
  non2xx: number;
  socketErrors: number;
  /** wrk's own line ("connect 0, read 0, write 0, timeout 3"), when it reported any. */
  socketErrorKinds?: string;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

export interface WrkRun {
  url: string;
  script: string;
  bodies: string;
  authorization: string;
  connections: number;
  seconds: number;
  /** taskset CPU list for wrk, e.g. "1". */
  cpus: string;
  /** Ends wrk early (the bench was interrupted). */
  signal?: AbortSignal;
}

export async function wrk(o: WrkRun): Promise<WrkResult> {
  const args = [
    '-c',
    o.cpus,
    'wrk',
    '-t1',
    `-c${o.connections}`,
    `-d${o.seconds}s`,
    '--timeout',
    '10s',
    '--latency',
    '-s',
    o.script,
    o.url,
    '--',
    o.bodies,
    o.authorization,
  ];
  const { stdout } = await run('taskset', args, { maxBuffer: 1 << 20, signal: o.signal });
  return parseWrk(stdout);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  return m?.[1] && m[2] ? Number(m[1]) * (UNIT_MS[m[2]] ?? Number.NaN) : Number.NaN;
}

export function parseWrk(out: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  if (!total?.[1]) throw new Error(`Unexpected wrk output:\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(total[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    socketErrorKinds: socket?.[0].slice('Socket errors: '.length),
    seconds: durationMs(`${total[2]}${total[3]}`) / 1000,
    p50Ms: durationMs(/ 50%\s+(\S+)/.exec(out)?.[1]),
    p99Ms: durationMs(/ 99%\s+(\S+)/.exec(out)?.[1]),
  };
}
