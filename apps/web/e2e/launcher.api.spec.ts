import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * The launcher behind `pnpm start` (scripts/start-demo.mjs), as a process manager runs it: a
 * SIGTERM sent to the launcher alone stops the STS and the console, and the launcher exits only
 * once both have (their ports are free again).
 */
const root = resolve(import.meta.dirname, '../../..');

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });

const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    if (child.exitCode !== null || child.signalCode !== null)
      done({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => done({ code, signal }));
  });

test.describe('the launcher (pnpm start)', () => {
  test('SIGTERM to the launcher stops the STS and the console, and it waits for both', async () => {
    test.setTimeout(90_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'sts-launcher-'));
    const [stsPort, consolePort] = [await freePort(), await freePort()];
    // Its own process group, so that only the launcher's pid gets the signal, as from systemd's
    // KillMode=mixed or a supervisor that signals the process it started.
    const launcher = spawn(process.execPath, ['scripts/start-demo.mjs'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        STS_PORT: String(stsPort),
        CONSOLE_PORT: String(consolePort),
        NEXTAUTH_URL: `http://localhost:${consolePort}`,
        STS_DATABASE_URL: `file:${join(dataDir, 'sts.db')}`,
        STS_DATA_DIR: dataDir,
      },
    });
    let output = '';
    launcher.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    launcher.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    try {
      await expect
        .poll(() => output, { timeout: 60_000, message: 'the console is ready' })
        .toContain('Admin console:');
      expect(await listening(stsPort)).toBe(true);
      expect(await listening(consolePort)).toBe(true);

      launcher.kill('SIGTERM');
      const { code } = await exited(launcher);
      expect(code, output).toBe(0);
      // Both servers had exited when the launcher did.
      expect(await listening(stsPort)).toBe(false);
      expect(await listening(consolePort)).toBe(false);
      expect(output).not.toMatch(/ELIFECYCLE|Error:/);
    } finally {
      try {
        process.kill(-(launcher.pid ?? 0), 'SIGKILL');
      } catch {
        // Already stopped, as it should be.
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
