/**
 * Every error this package throws on purpose; callers catch them as DbError. No driver error
 * (Prisma's P2025/P2002, SQLite's SQLITE_*) leaves the package: repositories translate them.
 */
export class DbError extends Error {
  override name = 'DbError';
}

/** A migration cannot be applied, or the applied history does not match the files. */
export class MigrationError extends DbError {
  override name = 'MigrationError';
}

/** A stored value (JSON column, enum-like string) does not parse: the database was edited by hand. */
export class StoredDataError extends DbError {
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
  | 'audit_event';

/** The row a read or a change names does not exist (within its tenant). */
export class NotFoundError extends DbError {
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
  override name = 'ConflictError';
  constructor(
    readonly entity: Entity,
    readonly key: string | undefined,
    message = `${entity} "${key}" exists already`,
  ) {
    super(message);
  }
}
