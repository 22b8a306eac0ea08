#!/usr/bin/env node
/**
 * Runs a command with a throwaway PostgreSQL server: `node scripts/with-postgres.mjs <command…>`.
 *
 * Finds PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin, or PG_BIN), installing
 * Debian's `postgresql` package when they are missing and this runs as root with apt; creates a
 * cluster in a temporary directory, starts it on a free loopback port (trust authentication,
 * Unix socket in the same directory), runs the command with STS_TEST_POSTGRES_URL naming it, then
 * stops the server and removes the directory, whatever the command's outcome. The server runs
 * as the `postgres` user when this runs as root (PostgreSQL refuses to run as root). Durability
 * is off (fsync): the cluster is thrown away.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args…]');
  process.exit(2);
}

const bin = findBinaries() ?? install();
const asRoot = process.getuid?.() === 0;
const owner = asRoot ? postgresUser() : undefined;

const dir = mkdtempSync(join(tmpdir(), 'sts-postgres-'));
const data = join(dir, 'data');
let server;
let exitCode = 1;
try {
  if (owner) {
    chmodSync(dir, 0o755);
    chownSync(dir, owner.uid, owner.gid);
  }
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const port = await freePort();
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
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=500',
      '-c',
      'timezone=UTC',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...owner },
  );
  let log = '';
  server.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-8000);
  });
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await waitForServer(bin, port, () => log);
  console.log(`PostgreSQL ${version(bin)} for the tests at ${url}`);
  const child = spawnSync(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, STS_TEST_POSTGRES_URL: url },
    shell: process.platform === 'win32',
  });
  exitCode = child.status ?? 1;
} finally {
  if (server && server.exitCode === null) {
    // SIGINT: PostgreSQL's fast shutdown (open sessions are ended).
    const stopped = new Promise((done) => server.once('exit', done));
    server.kill('SIGINT');
    await Promise.race([stopped, new Promise((done) => setTimeout(done, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

function findBinaries() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

function install() {
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !hasApt) {
    console.error(
      "The tests need PostgreSQL's server binaries: install them (Debian/Ubuntu: sudo apt-get install postgresql) or set PG_BIN to their directory.",
    );
    process.exit(1);
  }
  console.log("Installing Debian's postgresql for the tests...");
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const found = findBinaries();
  if (!found) {
    console.error(
      'postgresql was installed but no server binaries were found under /usr/lib/postgresql',
    );
    process.exit(1);
  }
  return found;
}

/** The `postgres` account (Debian's package creates it), created when missing. */
function postgresUser() {
  const lookup = () => {
    const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) return undefined;
    const uid = Number(r.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    return { uid, gid };
  };
  const found = lookup();
  if (found) return found;
  run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  return lookup();
}

function run(file, args, options = {}) {
  const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'inherit'], ...owner, ...options });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.error})`);
}

function version(binDir) {
  return execFileSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' })
    .trim()
    .split(' ')[2];
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

async function waitForServer(binDir, port, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited at start:\n${log()}`);
    const ready = spawnSync(join(binDir, 'pg_isready'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-q',
    ]);
    if (ready.status === 0) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`PostgreSQL did not accept connections within 30 s:\n${log()}`);
}
