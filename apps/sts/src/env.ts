import { availableParallelism } from 'node:os';
import { masterKeyEnv } from '@sts/crypto/env';
import { databaseEnv } from '@sts/db/env';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { LOG_LEVELS } from './runtime/logger';

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
  /**
   * What a start does with a tenant the config file managed and no longer declares (decision
   * 0023): `delete` it (with its keys: it stops issuing tokens), or `keep` it, as a console
   * tenant flagged "no longer in the configuration file" (it keeps issuing tokens).
   */
  STS_REMOVED_FILE_TENANTS: z
    .enum(['delete', 'keep'])
    .default('delete')
    .describe(
      'A tenant removed from STS_CONFIG_FILE: delete it at the next start, or keep it as a console tenant, flagged',
    ),
  /** JWKS fetches may reach loopback addresses, and http:// on them (local setups and tests only). */
  STS_ALLOW_LOOPBACK_HTTP_JWKS: bool,
  /** JWKS fetches may reach private networks (RFC 1918, 100.64.0.0/10, fc00::/7). */
  STS_JWKS_ALLOW_PRIVATE_NETWORKS: bool,
  /** How long past its 10 minutes a cached JWKS is still used while its URI is unreachable. */
  STS_JWKS_MAX_STALE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(86_400),
  STS_CONFIG_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  STS_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /**
   * Subject and actor tokens whose signature each process remembers having verified, so a token
   * presented again skips the signature arithmetic (every other check still runs; 0: off).
   */
  STS_VERIFIED_TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /**
   * How long a rotated-in signing key is published in the JWKS before it signs (decision 0020).
   * The JWKS's Cache-Control max-age is at most this (300 s when this is longer). The console
   * reads the same variable to date the keys it rotates in: set it alike in both.
   */
  STS_KEY_PREPUBLISH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** The window of the rate limits below. */
  STS_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Requests per window from one source address to the token and introspection endpoints (0: no limit). */
  STS_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(600),
  /** Requests per window of one authenticated client (0: no limit). */
  STS_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(0).default(1200),
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR ranges); unset,
   * the source address is the connection's.
   */
  STS_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const list = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.find((s) => !validProxy(s));
      if (bad) ctx.addIssue({ code: 'custom', message: `not an address or CIDR range: ${bad}` });
      return list;
    }),
  /** Audit records older than this many days are deleted (0: kept for ever). */
  STS_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /** Port of a separate listener serving Prometheus metrics at /metrics; unset: none. */
  STS_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  STS_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Worker processes sharing the port, under a supervisor that restarts them and drains them on
   * SIGTERM (decision 0019); 1: one process, no supervisor. Default: the available cores.
   */
  STS_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(() => availableParallelism()),
  STS_LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe(
      'Least level of the JSON log lines written to stdout (info: one access line per request)',
    ),
  /** Adds `X-STS-Worker: <pid>` to every response (tests, load-balancing checks; reveals the pid). */
  STS_DEBUG_WORKER_HEADER: bool,
});

function validProxy(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

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
