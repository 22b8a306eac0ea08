#!/usr/bin/env node
/**
 * `pnpm start`: the whole product on one SQLite file — the STS with the demo tenant
 * (apps/sts, port 8080) and the admin console (apps/web, port 3000) — with a demo admin whose
 * password is new at every start. Ctrl+C stops both. STS_* / CONSOLE_* variables override.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
function run(args, onLine) {
  // Under pnpm (pnpm start, the e2e tests) npm_execpath is pnpm itself: no PATH needed.
  const pnpm = process.env.npm_execpath?.includes('pnpm')
    ? [process.execPath, [process.env.npm_execpath, ...args]]
    : ['pnpm', args];
  const child = spawn(pnpm[0], pnpm[1], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    onLine?.(chunk.toString());
  });
  child.on('exit', (code) => stop(code ?? 1));
  return child;
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop(0));

let consoleStarted = false;
run(['--silent', '--filter', '@sts/sts', 'demo'], (text) => {
  if (consoleStarted || !text.includes('Press Ctrl+C to stop')) return;
  consoleStarted = true;
  // The STS has created and migrated the database and the master key: start the console on them.
  run(
    ['--silent', '--filter', '@sts/web', 'start', '--port', consolePort, '--hostname', consoleHost],
    (line) => {
      if (!/Ready in/.test(line)) return;
      console.log(`
Admin console: ${consoleUrl}
  Sign in as ${adminEmail} with password ${adminPassword}
  (demo only: a new password is printed at every start)
`);
    },
  );
});
