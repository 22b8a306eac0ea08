import 'server-only';
import { consoleEnv, invocationDir } from '~/env';
import { type ConsoleServer, openConsole } from './open-console';

/** One console per server process, opened on first use (never at build time). */
const globalRef = globalThis as unknown as { stsConsole?: Promise<ConsoleServer> };

export function consoleServer(): Promise<ConsoleServer> {
  globalRef.stsConsole ??= openConsole(consoleEnv(), invocationDir());
  return globalRef.stsConsole;
}
