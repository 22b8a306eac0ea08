/** The kinds of an error of this package (its class and their bases), shared by every copy. */
const KINDS = Symbol.for('@sts/db.error-kinds');

/**
 * Every error this package throws on purpose; callers catch them as DbError. No driver error
 * (Prisma's P2025/P2002, SQLite's SQLITE_*) leaves the package: repositories translate them.
 *
 * `instanceof` goes by kind, not by prototype: a bundler may load this module more than once in a
 * process (Next.js builds the console's instrumentation hook, pages and route handlers apart, and
 * they share one open database), and an error thrown through one copy must be recognised by the
 * code of another (the console's NOT_FOUND and CONFLICT mapping).
 */
export class DbError extends Error {
  /** Its class's kind: a string, as a minifier renames classes. */
  static readonly kind: string = 'DbError';
  override name = 'DbError';
  readonly [KINDS]: readonly string[];

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && Object.hasOwn(c, 'kind'); ) {
      kinds.push((c as typeof DbError).kind);
      c = Object.getPrototypeOf(c);
    }
    this[KINDS] = kinds;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || !(KINDS in value)) return false;
    const kinds = (value as { [KINDS]: unknown })[KINDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class asked about, maybe a subclass
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }
}

/** A migration cannot be applied, or the applied history does not match the files. */
export class MigrationError extends DbError {
  static override readonly kind = 'MigrationError';
  override name = 'MigrationError';
}

/** A stored value (JSON column, enum-like string) does not parse: the database was edited by hand. */
export class StoredDataError extends DbError {
  static override readonly kind = 'StoredDataError';
  override name = 'StoredDataError';
}

/** What a repository stores, as NotFoundError and ConflictError name it. */
export type Entity =
  | 'tenant'
  | 'client'
  | 'trusted_issuer'
  | 'rule'
  | 'signing_key'
  | 'admin'
  | 'sso_identity'
  | 'audit_event';

/** The row a read or a change names does not exist (within its tenant). */
export class NotFoundError extends DbError {
  static override readonly kind = 'NotFoundError';
  override name = 'NotFoundError';
  constructor(
    readonly entity: Entity,
    readonly key: string,
  ) {
    super(`${entity} "${key}" does not exist`);
  }
}

/**
 * A change that contradicts what is stored: a row with this key exists already (`key` set), or
 * the change was made from a stale view (`key` undefined, the message says what changed).
 */
export class ConflictError extends DbError {
  static override readonly kind = 'ConflictError';
  override name = 'ConflictError';
  constructor(
    readonly entity: Entity,
    readonly key: string | undefined,
    message = `${entity} "${key}" exists already`,
  ) {
    super(message);
  }
}

/**
 * The database did not answer: the connection failed or was lost, a statement timed out, or
 * SQLite stayed locked past its busy timeout. Nothing was changed; trying again later may work
 * (the STS answers 503 temporarily_unavailable with Retry-After).
 */
export class DatabaseUnavailableError extends DbError {
  static override readonly kind = 'DatabaseUnavailableError';
  override name = 'DatabaseUnavailableError';
}
