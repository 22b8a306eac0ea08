import BetterSqlite3 from 'better-sqlite3';

/**
 * Test support for other packages' suites (never used by the product): the rows of a table
 * exactly as stored, read through a separate read-only connection, for assertions on what is
 * (and is not) written — a secret in clear, a raw token in the audit log.
 */
const TABLES = [
  'tenants',
  'clients',
  'trusted_issuers',
  'rules',
  'signing_keys',
  'test_issuer_keys',
  'audit_events',
  'used_jtis',
  'config_version',
  'admin_users',
  'admin_invitations',
  'admin_actions',
] as const;

export function storedRows(
  databasePath: string,
  table: (typeof TABLES)[number],
): Record<string, unknown>[] {
  if (!TABLES.includes(table)) throw new TypeError(`unknown table ${table}`);
  const connection = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
  try {
    return connection.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Record<
      string,
      unknown
    >[];
  } finally {
    connection.close();
  }
}

/**
 * Runs SQL on the database file through a separate connection, as an operator (or a failing disk)
 * would: to make the STS's own writes fail (a trigger refusing audit inserts) or to store a
 * configuration the STS cannot load, and to undo it. Tests only.
 */
export function execSql(databasePath: string, sql: string): void {
  const connection = new BetterSqlite3(databasePath, { fileMustExist: true });
  try {
    connection.exec(sql);
  } finally {
    connection.close();
  }
}
