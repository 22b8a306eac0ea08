import type { PrismaClient } from '../../generated/prisma/client';
import type { Sql } from './sql';

/**
 * The connections the repositories share, inside this package only: `sql` for every write and
 * the token endpoint's hot path (prepared statements, either dialect), `prisma` for reads.
 */
export interface Handles {
  readonly sql: Sql;
  /**
   * The SQLite schema's client type for both dialects: the two generated clients have the same
   * model API (the schema differs only in its datasource).
   */
  readonly prisma: PrismaClient;
  /** Milliseconds since the epoch: timestamps this package writes. */
  readonly clock: () => number;
}
