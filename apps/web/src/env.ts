import { masterKeyEnv } from '@sts/crypto/env';
import { databaseEnv } from '@sts/db/env';
import { z } from 'zod';

/**
 * The console's environment, checked once (the only module that reads process.env). It shares
 * the STS's database and master key: run both with the same STS_DATABASE_URL and
 * STS_DATA_DIR / STS_MASTER_KEY. The database's and the master key's variables are the fragments
 * their packages declare.
 */
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  ...databaseEnv,
  ...masterKeyEnv,
  /** Where the STS is reached: issuer URLs and the simulator's curl command use it. */
  STS_PUBLIC_URL: z.url().default('http://localhost:8080'),
  /** The console's own external URL (next-auth callbacks). */
  NEXTAUTH_URL: z.url().default('http://localhost:3000'),
  /** Optional single sign-on through any OpenID Connect provider. */
  CONSOLE_OIDC_ISSUER: optional.pipe(z.url().optional()),
  CONSOLE_OIDC_CLIENT_ID: optional,
  CONSOLE_OIDC_CLIENT_SECRET: optional,
  CONSOLE_OIDC_NAME: z.string().default('Single sign-on'),
  /** Role given to a first-time single-sign-on user; unset: only existing admins may sign in. */
  CONSOLE_OIDC_AUTO_CREATE_ROLE: z.enum(['owner', 'tenant_admin', 'viewer']).optional(),
  /** Failed password sign-ins allowed per account (e-mail address) per window. */
  CONSOLE_SIGN_IN_ACCOUNT_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  /** Failed password sign-ins allowed per source address per window. */
  CONSOLE_SIGN_IN_ADDRESS_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  /** The window, in seconds: once a limit is reached, sign-in waits until it ends. */
  CONSOLE_SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * Reverse proxies in front of the console that append the client's address to
   * X-Forwarded-For: the source address is the entry this many from the right.
   */
  CONSOLE_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** Creates this owner at start when the console has no admin yet. */
  CONSOLE_ADMIN_EMAIL: optional,
  CONSOLE_ADMIN_PASSWORD: optional,
  /** Demo only: (re)sets CONSOLE_ADMIN_PASSWORD on the admin at every start, so the printed one works. */
  CONSOLE_DEMO: z
    .enum(['true', 'false', ''])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Like the STS's own setting (set both alike): allows http:// JWKS URIs on loopback addresses,
   * for trusted issuers' and clients' keys and the console's "Fetch keys" (local setups only).
   */
  STS_ALLOW_LOOPBACK_HTTP_JWKS: bool,
  /** Like the STS's own setting (set both alike): JWKS fetches may reach private networks. */
  STS_JWKS_ALLOW_PRIVATE_NETWORKS: bool,
  /**
   * Like the STS's own setting (set both alike): a key made by "Rotate now" signs this many
   * seconds after it is published in the JWKS (decision 0020).
   */
  STS_KEY_PREPUBLISH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type ConsoleEnv = z.infer<typeof EnvSchema>;

let cached: ConsoleEnv | undefined;

export function consoleEnv(): ConsoleEnv {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new TypeError(`Invalid console environment:\n  ${problems.join('\n  ')}`);
  }
  cached = parsed.data;
  return cached;
}

/** pnpm runs scripts inside the package; relative paths are meant from where the command was run. */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

export function isNodeRuntime(): boolean {
  return process.env.NEXT_RUNTIME === 'nodejs';
}
