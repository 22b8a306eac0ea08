import { masterKeyEnv } from '@sts/crypto/env';
import { databaseEnv } from '@sts/db/env';
import { z } from 'zod';

/**
 * The STS's environment, checked once at start (the only module that reads process.env).
 * A bad value stops the start with the variable's name and the reason.
 */
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  STS_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  STS_HOST: z.string().min(1).default('127.0.0.1'),
  STS_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Base of issuer URLs; defaults to http://localhost:<STS_PORT>'),
  ...databaseEnv,
  ...masterKeyEnv,
  STS_CONFIG_FILE: z.string().min(1).optional(),
  /** Allows http:// JWKS URIs on loopback addresses (local setups and tests only). */
  STS_ALLOW_LOOPBACK_HTTP_JWKS: bool,
  STS_CONFIG_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  STS_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
});

export type Env = z.infer<typeof EnvSchema>;

/** The STS settings: `defaults` (for the demo), overridden by the process environment. */
export function readEnv(
  defaults: Record<string, string> = {},
  source: NodeJS.ProcessEnv = process.env,
): Env {
  const parsed = EnvSchema.safeParse({ ...defaults, ...source });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new TypeError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Every environment variable, for config files that name a secret's variable (`secretEnv`). */
export function environment(): NodeJS.ProcessEnv {
  return process.env;
}

/** pnpm runs scripts inside the package; relative paths are meant from where the command was run. */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
