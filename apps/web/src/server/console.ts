import 'server-only';
import type { OpenConsole } from '@sts/console';
import { consoleEnv, invocationDir } from '~/env';
import { openConsoleFromEnv } from './open-console';

/** One console per server process, opened on first use (never at build time). */
const globalRef = globalThis as unknown as { stsConsole?: Promise<OpenConsole> };

export function consoleServer(): Promise<OpenConsole> {
  globalRef.stsConsole ??= openConsoleFromEnv(consoleEnv(), invocationDir());
  return globalRef.stsConsole;
}
