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
