/**
 * A server under load: a separate process pinned to the server cores, listening on a port the
 * system chose (no port picked in advance that another program could take first), polled until
 * it answers, and stopped by its pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface Target {
  name: string;
  /** The token endpoint wrk loads. */
  tokenUrl: string;
  /** Roots of the process trees whose CPU time is the target's (a database server included). */
  cpuPids: number[];
  /** Roots of the process trees whose resident memory is reported. */
  rssPids: number[];
  /** The end of what the server wrote (stdout and stderr). */
  log(): string;
  /** Lines of its JSON log at level warn or worse (the STS's pino log). */
  warnings(): string[];
  /** Stops it; the STS then returns the exchanges its audit trail holds. */
  stop(): Promise<AuditRecords | undefined>;
}

export interface AuditRecords {
  granted: number;
  denied: number;
  /** Signature checks answered by the verified-token cache, and computed. */
  cache?: { hits: number; misses: number };
}

export interface PinnedProcess {
  child: ChildProcess;
  pid: number;
  log: () => string;
  warnings: () => string[];
  stop(): Promise<void>;
}

/** `node <args>` under `taskset -c <cpus>` (taskset execs node: the pid is node's). */
export function spawnPinned(
  cpus: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): PinnedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn('taskset', ['-c', cpus, process.execPath, ...args], {
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '');
  return {
    child,
    pid: child.pid,
    log,
    warnings: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter((line) => /"level":"(warn|error|fatal)"/.test(line))
        : [],
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The base URL the server printed ("listening on http://127.0.0.1:<port>"), once it did. */
export async function listeningUrl(p: PinnedProcess, name: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`${name} exited at start:\n${p.log()}`);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.log())?.[1];
    if (url) return url;
    await new Promise((done) => setTimeout(done, 50));
  }
  await p.stop();
  throw new Error(`${name} did not listen within 60 s:\n${p.log()}`);
}

/** Polls `url` until it answers 200; fails if the process ends. */
export async function waitUntilReady(p: PinnedProcess, url: string, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`${name} exited at start:\n${p.log()}`);
    const status = await fetch(url).then(
      (res) => res.arrayBuffer().then(() => res.status),
      () => 0,
    );
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  await p.stop();
  throw new Error(`${name} was not ready within 60 s:\n${p.log()}`);
}

/** The environment without the caller's STS_* settings (turbo passes them on). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('STS_')),
  );
  return { ...env, ...extra };
}
