/** Every error this package throws on purpose; callers can catch them all as DbError. */
export class DbError extends Error {
  override name = 'DbError';
}

/** A migration cannot be applied, or the applied history does not match the files. */
export class MigrationError extends DbError {
  override name = 'MigrationError';
}

/** STS_MASTER_KEY or <dataDir>/master.key is not a 32-byte base64 value. */
export class MasterKeyError extends DbError {
  override name = 'MasterKeyError';
}

/** An encrypted value was tampered with, or the master key is not the one it was sealed with. */
export class DecryptionError extends DbError {
  override name = 'DecryptionError';
}

/** A stored value (JSON column, enum-like string) does not parse: the database was edited by hand. */
export class StoredDataError extends DbError {
  override name = 'StoredDataError';
}

/** The tenant does not exist. */
export class UnknownTenantError extends DbError {
  override name = 'UnknownTenantError';
  constructor(readonly tenantId: string) {
    super(`unknown tenant "${tenantId}"`);
  }
}
