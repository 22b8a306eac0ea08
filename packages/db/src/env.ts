import { z } from 'zod';

/** The database's part of an app's environment (each app's env.ts composes it). */
export const databaseEnv = {
  STS_DATABASE_URL: z
    .string()
    .min(1)
    .default('file:./.data/sts.db')
    .describe(
      'The database: a SQLite file ("file:<path>" or a path) or a PostgreSQL server ("postgresql://user:password@host:5432/database"); created (SQLite) and migrated at start',
    ),
  STS_DATA_DIR: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .describe(
      'Where master.key is kept when STS_MASTER_KEY is not set; default: the directory of the SQLite database (with PostgreSQL, set STS_MASTER_KEY or this)',
    ),
  STS_DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe(
      'PostgreSQL: connections per process (each STS worker and the console has its own pool)',
    ),
};
