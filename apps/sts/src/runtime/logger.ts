import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { DestinationStream, Logger };
export type LogLevel = LevelWithSilent;
export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const satisfies readonly LogLevel[];

/**
 * Fields that must never be written, whatever a caller passes: credentials, tokens, request
 * bodies. Log calls pass only chosen fields (decision 0021); this list is the second guard.
 * pino's redaction matches exact paths: each name is listed at the top level and inside the
 * objects a log call might pass whole. Not as `*.name`: wildcards made every line about ten
 * times dearer (measured: ~8 µs a line without, ~70 µs with), on the token path.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'body',
  'password',
  'secret',
  'client_secret',
  'client_assertion',
  'subject_token',
  'actor_token',
  'access_token',
  'token',
  'headers',
  'payload',
];
const CONTAINERS = ['err', 'req', 'request', 'params'];
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...CONTAINERS.flatMap((container) => SECRET_FIELDS.map((name) => `${container}.${name}`)),
];

/** One stdout destination per process, shared by every logger (the supervisor's and the STS's). */
let stdout: DestinationStream | undefined;

/** Lines are written to stdout in chunks of this many bytes, or at least every FLUSH_MS. */
const CHUNK_BYTES = 4096;
const FLUSH_MS = 250;

/**
 * The process's JSON logger (pino): one JSON object per line, level as a word, ISO time, pid.
 * Writes to stdout asynchronously and in chunks (sonic-boom, flushed every 250 ms and on exit),
 * so the token path's access line costs neither a blocking write nor a write of its own (one
 * write per line was ~5 % of a request); `destination` replaces stdout (tests capture the lines).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  if (!stdout) {
    const stream = pino.destination({ dest: 1, sync: false, minLength: CHUNK_BYTES });
    setInterval(() => stream.flush(), FLUSH_MS).unref();
    stdout = stream;
  }
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? stdout,
  );
}
