/**
 * A console in its own process, as in production: changes one tenant's settings through the
 * repositories every `intervalMs` while told to ("start" … "stop" over IPC), so that the test
 * process measures the STS's work, not its own writes. Answers "stop" with the last display name
 * written. Run by forkConsoleWriter() below.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { databaseLocation, openDatabase } from '@sts/db';

export interface ConsoleWriter {
  /** Starts changing the tenant; resolves once the first change is committed. */
  start(): Promise<void>;
  /** Stops; resolves to the last display name written. */
  stop(): Promise<string>;
  close(): void;
}

export function forkConsoleWriter(options: {
  databaseUrl: string;
  dir: string;
  tenantId: string;
  intervalMs: number;
}): ConsoleWriter {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    env: process.env,
  });
  const next = () =>
    new Promise<{ type: string; displayName?: string }>((ok, fail) => {
      child.once('message', ok);
      child.once('exit', (code) => fail(new Error(`console writer exited with ${code}`)));
    });
  return {
    async start() {
      const started = next();
      child.send('start');
      await started;
    },
    async stop() {
      const stopped = next();
      child.send('stop');
      return (await stopped).displayName ?? '';
    },
    close: () => void child.kill(),
  };
}

async function run(): Promise<void> {
  const { databaseUrl, dir, tenantId, intervalMs } = JSON.parse(process.argv[2] as string);
  const db = await openDatabase(databaseLocation({ databaseUrl }, dir));
  let running: Promise<string> | undefined;
  let changing = false;
  const change = async () => {
    const displayName = randomUUID();
    await db.tenants.update(
      tenantId,
      { displayName, accessTokenTtlSeconds: 300, signingAlg: 'ES256' },
      { actor: { id: null, email: 'console-writer' }, action: 'tenant.update', tenantId },
    );
    return displayName;
  };
  process.on('message', async (message) => {
    if (message === 'start') {
      changing = true;
      let last = await change();
      process.send?.({ type: 'started' });
      running = (async () => {
        while (changing) {
          await new Promise((ok) => setTimeout(ok, intervalMs));
          if (changing) last = await change();
        }
        return last;
      })();
    } else if (message === 'stop') {
      changing = false;
      process.send?.({ type: 'stopped', displayName: await running });
    }
  });
  process.on('disconnect', () => void db.close().then(() => process.exit(0)));
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) await run();
