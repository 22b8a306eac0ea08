import { z } from 'zod';

/**
 * The master key's part of an app's environment (each app's env.ts composes it): from
 * STS_MASTER_KEY, else from `<data dir>/master.key` (see loadOrCreateMasterKey).
 */
export const masterKeyEnv = {
  STS_MASTER_KEY: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
};
