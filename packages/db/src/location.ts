import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the database is, and the data directory (where master.key is kept by default). */
export interface DatabaseLocation {
  dialect: 'sqlite';
  /** The database file, absolute. */
  path: string;
  /** STS_DATA_DIR, or the directory of the database file. */
  dataDir: string;
}

/**
 * Resolves STS_DATABASE_URL and STS_DATA_DIR, relative paths against `baseDir` (the directory the
 * command was run from): a SQLite file as `file:<path>`, `file:///<absolute path>` or a plain
 * path. Anything else (a server URL, an in-memory database) is refused with a TypeError that
 * says what is supported: the STS never falls back to something the operator did not ask for.
 */
export function databaseLocation(
  { databaseUrl, dataDir }: { databaseUrl: string; dataDir?: string },
  baseDir: string,
): DatabaseLocation {
  const path = sqlitePath(databaseUrl, baseDir);
  return {
    dialect: 'sqlite',
    path,
    dataDir: dataDir === undefined ? dirname(path) : resolve(baseDir, dataDir),
  };
}

function sqlitePath(url: string, baseDir: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  const path = url.replace(/^file:/, '').replace(/\?.*$/, '');
  if (path === '' || path === ':memory:' || /^[a-z][a-z0-9+.-]*:/i.test(path))
    throw new TypeError(
      `Unsupported STS_DATABASE_URL "${redact(url)}": give a SQLite file as "file:<path>" or a path (in-memory and server databases are not supported)`,
    );
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** The URL without a password, for messages. */
const redact = (url: string) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
