import { z } from 'zod';

/** The database's part of an app's environment (each app's env.ts composes it). */
export const databaseEnv = {
  STS_DATABASE_URL: z
    .string()
    .min(1)
    .default('file:./.data/sts.db')
    .describe('SQLite database file (created and migrated at start)'),
  STS_DATA_DIR: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .describe(
      'Where master.key is kept when STS_MASTER_KEY is not set; default: the directory of the database',
    ),
};
