/**
 * The decision trace: every step of an exchange and every policy check, in order, with the
 * outcome and the reason in words. The STS stores it with the audit record; the console shows it.
 */
export type TraceOutcome = 'pass' | 'fail' | 'skip' | 'info';

export interface TraceEntry {
  /** The step, e.g. "request", "subject_token", "rule:gateway-orders". */
  step: string;
  /** The check within the step, e.g. "signature", "audience". */
  check: string;
  outcome: TraceOutcome;
  message: string;
}

export class Trace {
  readonly entries: TraceEntry[] = [];

  pass(step: string, check: string, message: string): void {
    this.entries.push({ step, check, outcome: 'pass', message });
  }
  fail(step: string, check: string, message: string): void {
    this.entries.push({ step, check, outcome: 'fail', message });
  }
  skip(step: string, check: string, message: string): void {
    this.entries.push({ step, check, outcome: 'skip', message });
  }
  info(step: string, check: string, message: string): void {
    this.entries.push({ step, check, outcome: 'info', message });
  }
}
