#!/usr/bin/env node
/**
 * `pnpm start`: the whole product on one SQLite file — the STS with the demo tenant
 * (apps/sts, port 8080) and the admin console (apps/web, port 3000) — with a demo admin whose
 * password is new at every start. Ctrl+C, or SIGTERM from a process manager, stops both and
 * waits for them to exit. STS_* / CONSOLE_* variables override.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const stsPort = process.env.STS_PORT ?? '8080';
const consolePort = process.env.CONSOLE_PORT ?? '3000';
const consoleHost = process.env.CONSOLE_HOST ?? '127.0.0.1';
const dataDir = resolve(root, '.data');
const adminEmail = process.env.CONSOLE_ADMIN_EMAIL ?? 'admin@demo.local';
const adminPassword = process.env.CONSOLE_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
const consoleUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${consolePort}`;

const env = {
  ...process.env,
  // The demo may fetch JWKS over plain http on loopback (its own STS's, a local identity
  // provider's), in the console's "Fetch keys" too. Never set this outside a local setup.
  STS_ALLOW_LOOPBACK_HTTP_JWKS: process.env.STS_ALLOW_LOOPBACK_HTTP_JWKS ?? 'true',
  STS_PORT: stsPort,
  STS_DATABASE_URL: process.env.STS_DATABASE_URL ?? `file:${resolve(dataDir, 'demo.db')}`,
  STS_DATA_DIR: process.env.STS_DATA_DIR ?? dataDir,
  STS_PUBLIC_URL: process.env.STS_PUBLIC_URL ?? `http://localhost:${stsPort}`,
  NEXTAUTH_URL: consoleUrl,
  CONSOLE_ADMIN_EMAIL: adminEmail,
  CONSOLE_ADMIN_PASSWORD: adminPassword,
  CONSOLE_DEMO: 'true',
};

const children = [];
/** Runs `node <args>` in `dir`, echoing its output; `onLine` sees each chunk. */
function run(dir, args, onLine) {
  // The servers stay in the launcher's process group: whoever stops the group (a terminal's
  // Ctrl+C, a test runner) stops them too, even if the launcher itself is killed outright.
  const child = spawn(process.execPath, args, {
    cwd: resolve(root, dir),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    onLine?.(chunk.toString());
  });
  child.on('exit', (code) => stop(code ?? 1));
  return child;
}

const running = (child) => child.exitCode === null && child.signalCode === null;

let stopping = false;
/**
 * Stops both servers and waits for them to exit (forcing them after 10 s), then exits. A signal
 * sent to the launcher alone (a process manager's SIGTERM) is passed on to each server.
 */
function stop(code) {
  if (stopping) return;
  stopping = true;
  const alive = children.filter(running);
  for (const child of alive) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children.filter(running)) child.kill('SIGKILL');
  }, 10_000);
  Promise.all(alive.map((child) => new Promise((done) => child.once('exit', done)))).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

const next = createRequire(resolve(root, 'apps/web/package.json')).resolve('next/dist/bin/next');

let consoleStarted = false;
// The compiled STS (apps/sts/dist, from `pnpm build`): no TypeScript loader at run time.
run('apps/sts', ['--enable-source-maps', 'dist/demo.js'], (text) => {
  if (consoleStarted || !text.includes('Press Ctrl+C to stop')) return;
  consoleStarted = true;
  // The STS has created and migrated the database and the master key: start the console on them.
  run('apps/web', [next, 'start', '--port', consolePort, '--hostname', consoleHost], (line) => {
    if (!/Ready in/.test(line)) return;
    console.log(`
Admin console: ${consoleUrl}
  Sign in as ${adminEmail} with password ${adminPassword}
  (demo only: a new password is printed at every start)
`);
  });
});
