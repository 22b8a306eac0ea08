import type { JSONWebKeySet, JWSHeaderParameters } from 'jose';
import { temporarilyUnavailable } from '../errors';
import { find, type KeyLookup, keyLookup } from '../keys/key-sets';
import type { VerifyKey } from '../ports';

export interface RemoteJwksOptions {
  /** Allow http:// URIs whose host is a loopback address (local setups and tests). */
  allowLoopbackHttp: boolean;
  /** How long a fetched key set is used before it is fetched again. */
  maxAgeMs?: number;
  /** Least time between two fetches of the same URI (an unknown kid triggers one). */
  cooldownMs?: number;
  /** After a failed fetch with nothing cached, how long requests fail fast before trying again. */
  failureBackoffMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
  maxKeys?: number;
  clock?: () => number;
}

interface Entry {
  lookup?: KeyLookup;
  fetchedAt: number;
  pending?: Promise<void>;
  /** Why the last fetch failed, while no key set could be had at all. */
  failure?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The callers attribute it to their step (subject_token.keys, client.assertion…). */
const UNAVAILABLE = { step: 'server', check: 'jwks_unavailable' } as const;

/**
 * The one I/O adapter in core, shared by the STS and the console (not part of the engine entry
 * point, which does no I/O). JWKS documents fetched by URI (trusted issuers', clients'), cached in memory. Fetches are
 * bounded in time and size; redirects are not followed. When a URI cannot be fetched and no
 * cached key fits, the caller gets temporarily_unavailable.
 */
export class RemoteJwks {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: Required<RemoteJwksOptions>;

  constructor(options: RemoteJwksOptions) {
    this.opts = {
      maxAgeMs: 10 * 60_000,
      cooldownMs: 30_000,
      failureBackoffMs: 5_000,
      timeoutMs: 5_000,
      maxBytes: 256 * 1024,
      maxKeys: 100,
      clock: Date.now,
      ...options,
    };
  }

  /** Throws TypeError for a URI this STS will not fetch (checked when configuration loads). */
  assertFetchable(uri: string): void {
    assertFetchableJwksUri(uri, this.opts);
  }

  async key(uri: string, header: JWSHeaderParameters): Promise<VerifyKey | undefined> {
    const entry = this.entries.get(uri) ?? { fetchedAt: 0 };
    this.entries.set(uri, entry);
    const now = this.opts.clock();
    // An issuer that just failed is not asked again on every request.
    if (entry.failure && now - entry.fetchedAt < this.opts.failureBackoffMs)
      throw temporarilyUnavailable(`JWKS ${uri}: ${entry.failure} (retrying shortly)`, UNAVAILABLE);
    const stale = now - entry.fetchedAt > this.opts.maxAgeMs;
    if (!entry.lookup || stale) await this.refresh(uri, entry, !entry.lookup);
    let key = await find(entry.lookup, header);
    // An unknown kid may be a key the issuer has just rotated in: fetch once more (rate-limited).
    if (!key && now - entry.fetchedAt >= this.opts.cooldownMs) {
      await this.refresh(uri, entry, false);
      key = await find(entry.lookup, header);
    }
    return key;
  }

  private async refresh(uri: string, entry: Entry, required: boolean): Promise<void> {
    entry.pending ??= this.fetchInto(uri, entry).finally(() => {
      entry.pending = undefined;
    });
    try {
      await entry.pending;
      entry.failure = undefined;
    } catch (err) {
      // A stale cached set keeps working while the issuer is unreachable.
      if (required || !entry.lookup) {
        entry.failure = describeJwksError(err);
        throw temporarilyUnavailable(`JWKS ${uri}: ${entry.failure}`, UNAVAILABLE, err);
      }
    }
  }

  private async fetchInto(uri: string, entry: Entry): Promise<void> {
    this.assertFetchable(uri);
    entry.fetchedAt = this.opts.clock();
    const jwks = await fetchJwks(uri, this.opts);
    entry.lookup = keyLookup(jwks);
  }
}

/** Limits of one JWKS fetch: the defaults RemoteJwks uses. */
export interface FetchJwksOptions {
  /** Allow http:// URIs whose host is a loopback address (local setups and tests). */
  allowLoopbackHttp: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxKeys?: number;
}

/** Throws TypeError for a URI that will not be fetched: https only (http on loopback if allowed). */
export function assertFetchableJwksUri(
  uri: string,
  { allowLoopbackHttp }: Pick<FetchJwksOptions, 'allowLoopbackHttp'>,
): void {
  const url = new URL(uri);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowLoopbackHttp && LOOPBACK.has(url.hostname)) return;
  throw new TypeError(
    `JWKS URI ${uri} must use https (http is allowed on loopback with STS_ALLOW_LOOPBACK_HTTP_JWKS=true)`,
  );
}

/**
 * Fetches a JWK Set once, with the limits RemoteJwks applies: https only, 5 s, 256 KiB, 100 keys,
 * no redirects. Returns the document's keys as found (private or symmetric ones included: see
 * isPublicKey of ../keys/key-sets); throws an Error whose message says what went wrong (describeJwksError).
 */
export async function fetchJwks(uri: string, options: FetchJwksOptions): Promise<JSONWebKeySet> {
  const { timeoutMs = 5_000, maxBytes = 256 * 1024, maxKeys = 100 } = options;
  assertFetchableJwksUri(uri, options);
  const res = await fetch(uri, {
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/jwk-set+json, application/json' },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await readLimited(res, maxBytes);
  const jwks = JSON.parse(text) as JSONWebKeySet;
  if (!Array.isArray(jwks?.keys)) throw new Error('not a JWK Set');
  if (jwks.keys.length > maxKeys) throw new Error(`more than ${maxKeys} keys`);
  return jwks;
}

async function readLimited(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A short reason for a failed JWKS fetch ("timed out", "HTTP 404", "larger than …"). */
export function describeJwksError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'timed out';
  // fetch() says only "fetch failed"; the reason (refused, unknown host, a redirect) is its cause.
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const reason = typeof cause?.code === 'string' ? cause.code : cause?.message;
  return typeof reason === 'string' && reason ? `${err.message} (${reason})` : err.message;
}
