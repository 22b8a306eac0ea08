import { StoredDataError } from '../errors';

/**
 * Reading back what the stores wrote. A value that does not parse means the database was
 * edited by hand or by a newer version: a StoredDataError naming the row, never a silent default.
 */

/** What the stores need of a zod schema (the core schemas validate stored configuration). */
interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export function parseStored<T>(schema: Schema<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
  );
  throw new StoredDataError(`${where}: stored value is invalid (${issues.join('; ')})`);
}

export function parseStoredJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StoredDataError(`${where}: stored value is not JSON`, { cause: err });
  }
}

export function oneOf<const T extends string>(
  allowed: readonly T[],
  value: string,
  where: string,
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new StoredDataError(
    `${where}: stored value "${value}" is not one of ${allowed.join(', ')}`,
  );
}
