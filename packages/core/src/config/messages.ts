import { z } from 'zod';

/**
 * Zod's default messages, written for the people who read them: admins in the console's forms
 * and operators reading a rejected configuration file ("Required" rather than "Too small:
 * expected string to have >=1 characters"). A message a schema gives itself always wins.
 */
type Issue = z.core.$ZodRawIssue;

export function friendlyMessage(issue: Issue): string | undefined {
  const i = issue as Issue & {
    origin?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    format?: string;
    expected?: string;
    values?: unknown[];
    input?: unknown;
  };
  switch (i.code) {
    case 'too_small':
      if (i.origin === 'string')
        return Number(i.minimum) === 1 ? 'Required' : `At least ${i.minimum} characters`;
      if (i.origin === 'array')
        return Number(i.minimum) === 1 ? 'Add at least one' : `Add at least ${i.minimum}`;
      return `At least ${i.minimum}`;
    case 'too_big':
      if (i.origin === 'string') return `At most ${i.maximum} characters`;
      if (i.origin === 'array') return `At most ${i.maximum} entries`;
      return `At most ${i.maximum}`;
    case 'invalid_type':
      if (i.input === undefined || i.input === null) return 'Required';
      if (i.expected === 'number' || i.expected === 'int') return 'Enter a number';
      return undefined;
    case 'invalid_format':
      if (i.format === 'url') return 'Enter a URL, like https://example.com';
      return undefined;
    case 'invalid_value':
      return i.values && i.values.length <= 8
        ? `Choose one of: ${i.values.map(String).join(', ')}`
        : 'Not one of the accepted values';
    case 'unrecognized_keys':
      return undefined;
    default:
      return undefined;
  }
}

z.config({ customError: friendlyMessage });
