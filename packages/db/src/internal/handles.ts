import type BetterSqlite3 from 'better-sqlite3';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * The connections the repositories share, inside this package only: `sqlite` for synchronous
 * writes and the token endpoint's hot path (prepared statements), `prisma` for everything else.
 */
export interface Handles {
  readonly sqlite: BetterSqlite3.Database;
  readonly prisma: PrismaClient;
  /** Milliseconds since the epoch: timestamps this package writes. */
  readonly clock: () => number;
}
