import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@sts/db/testing';

/**
 * The compiled STS (`node dist/main.js`, decision 0018) as a real process, for the tests of the
 * production start, replicas and failures. Every spawn is bounded in time and killed by its pid.
 */

const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Builds dist/ from the current source (well under a second). */
export function buildCompiled(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: APP_DIR, stdio: 'pipe' });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningCompiled {
  child: ChildProcess;
  url: string;
  /** The metrics listener (STS_METRICS_PORT), as the listening line names it. */
  metricsUrl?: string;
  databaseUrl: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** SIGTERM, then waits for the exit (and drops the database it created, if any). */
  stop(): Promise<Exit>;
}

export interface CompiledOptions {
  /** The configuration file's content; none when undefined. */
  config?: unknown;
  /** STS_* and other variables; STS_DATABASE_URL defaults to a fresh test database. */
  env?: Record<string, string>;
  /** Killed with SIGKILL after this long, whatever happens (default 20 s). */
  timeoutMs?: number;
}

/** Starts `node dist/main.js` and waits for the URL it prints. */
export async function startCompiled({
  config,
  env = {},
  timeoutMs = 20_000,
}: CompiledOptions): Promise<RunningCompiled> {
  const run = mkdtempSync(join(tmpdir(), 'sts-compiled-'));
  const configFile = join(run, 'config.json');
  if (config !== undefined) writeFileSync(configFile, JSON.stringify(config));
  const created = env.STS_DATABASE_URL ? undefined : await createTestDatabase(run);
  const databaseUrl = env.STS_DATABASE_URL ?? (created?.url as string);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('STS_') && name !== 'INIT_CWD' && name !== 'NODE_OPTIONS',
    ),
  );
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: APP_DIR,
    env: {
      ...inherited,
      STS_PORT: '0',
      STS_HOST: '127.0.0.1',
      STS_DATABASE_URL: databaseUrl,
      ...(config === undefined ? {} : { STS_CONFIG_FILE: configFile }),
      STS_ALLOW_LOOPBACK_HTTP_JWKS: 'true',
      STS_RATE_LIMIT_PER_ADDRESS: '0',
      STS_RATE_LIMIT_PER_CLIENT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<Exit>((ok) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      setImmediate(() => ok({ code, signal }));
    }),
  );
  const cleanUp = async () => {
    await created?.drop();
    rmSync(run, { recursive: true, force: true });
  };
  const url = await new Promise<string>((ok, fail) => {
    child.stdout?.on('data', () => {
      const match = /STS listening on (http:\/\/[^\s"]+)/.exec(stdout);
      if (match?.[1]) ok(match[1]);
    });
    void exited.then(async (r) => {
      await cleanUp();
      fail(new Error(`exited ${r.code ?? r.signal}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    metricsUrl: /"metrics_url":"(http:\/\/[^"]+)"/.exec(stdout)?.[1],
    databaseUrl,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const exit = await exited;
      await cleanUp();
      return exit;
    },
  };
}

/** The worker processes of a supervisor, by pid (Linux: /proc). */
export function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

/** Polls `check` until it returns true or the deadline passes. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}
