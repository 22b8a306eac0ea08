/**
 * A throwaway PostgreSQL cluster for tests: PostgreSQL's server binaries (/usr/lib/postgresql/
 * <version>/bin, or PG_BIN; Debian's `postgresql` package is installed when missing and this runs
 * as root with apt), a cluster in a temporary directory, the server on a loopback port with
 * trust authentication and its Unix socket in that directory. When this runs as root the server
 * runs as the `postgres` user (PostgreSQL refuses root). Durability is off (fsync) unless
 * `durable: true` (the benchmark: PostgreSQL's own defaults, as deployed): the cluster is thrown
 * away. Used by scripts/with-postgres.mjs, by tests that stop and restart a server and by bench/.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installDebianPackage } from './debian-package.mjs';

/**
 * Creates a cluster and starts its server. Returns its admin URL (database `postgres`, user
 * `postgres`), the server's `pid()`, `stop()` (fast shutdown: open sessions are ended), `start()`
 * (again, on the same port and data), and `remove()` (stops it and deletes the directory).
 * `durable: true` keeps fsync, synchronous_commit and full_page_writes at PostgreSQL's defaults.
 */
export async function startPostgres({ durable = false } = {}) {
  const bin = postgresBinaries();
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sts-postgres-'));
  const data = join(dir, 'data');
  if (owner) {
    chmodSync(dir, 0o755);
    chownSync(dir, owner.uid, owner.gid);
  }
  run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    owner,
  );
  const port = await freePort();
  // The server's log goes to a file: a pipe nobody reads while a test command runs would fill up
  // and stop the server.
  const logFile = join(dir, 'server.log');
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-8000) : '');
  let server;

  const start = async () => {
    const fd = openSync(logFile, 'a');
    server = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-k',
        dir,
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        ...(durable
          ? []
          : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
        '-c',
        'max_connections=500',
        '-c',
        'timezone=UTC',
        '-c',
        'log_checkpoints=off',
      ],
      { stdio: ['ignore', fd, fd], ...owner },
    );
    closeSync(fd);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) throw new Error(`PostgreSQL exited at start:\n${log()}`);
      const ready = spawnSync(join(bin, 'pg_isready'), [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-q',
      ]);
      if (ready.status === 0) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`PostgreSQL did not accept connections within 30 s:\n${log()}`);
  };
  const stop = async () => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const stopped = new Promise((done) => server.once('exit', done));
    server.kill('SIGINT');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await stopped;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid: () => server.pid,
    version: execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' })
      .trim()
      .split(' ')[2],
    start,
    stop,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The directory of PostgreSQL's server binaries, installing Debian's package if needed. */
export function postgresBinaries() {
  const found = findBinaries();
  if (found) return found;
  installDebianPackage('postgresql', 'PostgreSQL for the tests', 'or set PG_BIN to its binaries');
  const installed = findBinaries();
  if (!installed)
    throw new Error(
      'postgresql was installed but no server binaries were found under /usr/lib/postgresql',
    );
  return installed;
}

function findBinaries() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** The `postgres` account (Debian's package creates it), created when missing. */
function postgresUser() {
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0)
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

function run(file, args, owner, env = process.env) {
  const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'inherit'], env, ...owner });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.error})`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
