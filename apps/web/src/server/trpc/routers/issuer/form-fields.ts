import { JwksSchema } from '@sts/core/config';
import { z } from 'zod';

/**
 * Form field helpers shared by the client and trusted issuer forms (browser and server alike):
 * what a text input holds, turned into what the procedures take.
 */

/** A text input: blank means absent, otherwise trimmed and checked with `schema`. */
export const optionalText = <T extends z.ZodType<unknown, string | undefined>>(schema: T) =>
  z
    .string()
    .transform((v) => (v.trim() === '' ? undefined : v.trim()))
    .pipe(schema);

/** A JWK Set typed as JSON text: it must parse, and hold public keys only (JwksSchema). */
export const jwksText = z.string().transform((text, ctx) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'Not valid JSON' });
    return z.NEVER;
  }
  const parsed = JwksSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({
      code: 'custom',
      message: where(issue.path) + issue.message,
    });
  return z.NEVER;
});

/** "Key 2: " for an issue of the second key of a set, as people count. */
function where(path: readonly PropertyKey[]): string {
  const [first, index] = path;
  if (first === 'keys' && typeof index === 'number') return `Key ${index + 1}: `;
  return path.length > 0 ? `${path.join('.')}: ` : '';
}

/** Inside a transform: parses `value` with `schema`, reporting its issues on the field `path`. */
export function parseInto<T extends z.ZodType>(
  schema: T,
  value: unknown,
  ctx: z.RefinementCtx,
  path: string,
): z.output<T> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', path: [path, ...issue.path], message: issue.message });
  return undefined;
}
