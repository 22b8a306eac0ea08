#!/usr/bin/env node
/**
 * Runs a command with a throwaway PostgreSQL server: `node scripts/with-postgres.mjs <command…>`.
 * The command gets STS_TEST_POSTGRES_URL (the server's admin URL); the test helpers then give
 * each test a fresh database on it (@sts/db/testing). The server is stopped and its directory
 * removed afterwards, whatever the command's outcome. See ./postgres-cluster.mjs.
 */
import { spawn } from 'node:child_process';
import { startPostgres } from './postgres-cluster.mjs';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args…]');
  process.exit(2);
}

const cluster = await startPostgres();
let status = 1;
try {
  console.log(`PostgreSQL ${cluster.version} for the tests at ${cluster.url}`);
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, STS_TEST_POSTGRES_URL: cluster.url },
  });
  // Ctrl+C reaches the whole process group: wait for the command, then stop the server.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
  status = await new Promise((done) => {
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.on('error', () => done(1));
  });
} finally {
  await cluster.remove();
}
process.exit(status);
