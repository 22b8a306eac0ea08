import { createLogger, type Logger, type LogLevel } from '../../src/runtime/logger';

/** A logger of the STS's own kind (same options, same redaction) whose lines a test reads. */
export interface CapturedLog {
  log: Logger;
  /** Everything written so far, exactly as it would reach stdout. */
  text(): string;
  /** Every line, parsed. */
  lines(): Record<string, unknown>[];
}

export function captureLog(level: LogLevel = 'info'): CapturedLog {
  let text = '';
  const log = createLogger(level, {
    write(chunk: string) {
      text += chunk;
    },
  });
  return {
    log,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
