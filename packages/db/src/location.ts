import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the database is, and the data directory (where master.key is kept by default). */
export type DatabaseLocation =
  | {
      dialect: 'sqlite';
      /** The database file, absolute. */
      path: string;
      /** STS_DATA_DIR, or the directory of the database file. */
      dataDir: string;
    }
  | {
      dialect: 'postgresql';
      /** The connection URL, as given (it may hold a password: never print it; see redact). */
      url: string;
      /**
       * STS_DATA_DIR, absolute; undefined when not set: then STS_MASTER_KEY must be, as every
       * replica needs the same master key (there is no database directory to default to).
       */
      dataDir: string | undefined;
    };

/**
 * Resolves STS_DATABASE_URL and STS_DATA_DIR, relative paths against `baseDir` (the directory the
 * command was run from): a PostgreSQL server as `postgresql://` or `postgres://` URL, or a SQLite
 * file as `file:<path>`, `file:///<absolute path>` or a plain path. Anything else (another
 * scheme, an in-memory database, a URL that does not parse or names no host or database) is
 * refused with a TypeError that says what is supported: the STS never falls back to something
 * the operator did not ask for.
 */
export function databaseLocation(
  { databaseUrl, dataDir }: { databaseUrl: string; dataDir?: string },
  baseDir: string,
): DatabaseLocation {
  const explicitDataDir = dataDir === undefined ? undefined : resolve(baseDir, dataDir);
  if (/^postgres(ql)?:/i.test(databaseUrl))
    return { dialect: 'postgresql', url: postgresUrl(databaseUrl), dataDir: explicitDataDir };
  const path = sqlitePath(databaseUrl, baseDir);
  return { dialect: 'sqlite', path, dataDir: explicitDataDir ?? dirname(path) };
}

function postgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `STS_DATABASE_URL "${redact(url)}" is not a valid URL: give postgresql://user:password@host:5432/database`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.has('host'))
    throw new TypeError(
      `STS_DATABASE_URL "${redact(url)}" names no host: give postgresql://user:password@host:5432/database`,
    );
  if (parsed.pathname === '' || parsed.pathname === '/')
    throw new TypeError(
      `STS_DATABASE_URL "${redact(url)}" names no database: give postgresql://user:password@host:5432/database`,
    );
  return url;
}

function sqlitePath(url: string, baseDir: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  const path = url.replace(/^file:/, '').replace(/\?.*$/, '');
  if (path === '' || path === ':memory:' || /^[a-z][a-z0-9+.-]*:/i.test(path))
    throw new TypeError(
      `Unsupported STS_DATABASE_URL "${redact(url)}": give a PostgreSQL server as "postgresql://user:password@host:5432/database", or a SQLite file as "file:<path>" or a path (in-memory databases are not supported)`,
    );
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** The URL without a password, for messages. */
export const redact = (url: string) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
