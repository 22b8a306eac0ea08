import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { JSONWebKeySet, JWSHeaderParameters } from 'jose';
import { temporarilyUnavailable } from '../errors';
import { find, type KeyLookup, keyLookup } from '../keys/key-sets';
import type { VerifyKey } from '../ports';

type LookupCallback = (err: Error | null, address: string, family: number) => void;
type LookupAllCallback = (err: Error | null, addresses: LookupAddress[]) => void;

export interface RemoteJwksOptions extends JwksNetworkPolicy {
  /** How long a fetched key set is used before it is fetched again. */
  maxAgeMs?: number;
  /**
   * How long past maxAgeMs a key set is still used while its URI cannot be fetched; after that
   * its keys are dropped and requests needing them get temporarily_unavailable
   * (STS_JWKS_MAX_STALE_SECONDS). A revoked key must not verify for ever during an outage.
   */
  maxStaleMs?: number;
  /** Least time between two fetches of the same URI (an unknown kid triggers one). */
  cooldownMs?: number;
  /** After a failed fetch with nothing cached, how long requests fail fast before trying again. */
  failureBackoffMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
  maxKeys?: number;
  clock?: () => number;
  /** Where the precise reason of a failed fetch goes (the server's log); never to a client. */
  log?: (message: string) => void;
  /**
   * Told of every fetch of a JWKS URI as it ends, and whether it gave a key set (the STS counts
   * them by host). One call per fetch, however many requests wait for it.
   */
  onFetch?: (uri: string, ok: boolean) => void;
}

interface Entry {
  lookup?: KeyLookup;
  /** When the cached key set was fetched (lookup), or the last attempt started. */
  fetchedAt: number;
  /** When the cached key set (lookup) was fetched. */
  loadedAt: number;
  pending?: Promise<void>;
  /** Whether the last fetch failed while no key set could be had at all. */
  failed?: boolean;
}

/** The callers attribute it to their step (subject_token.keys, client.assertion…). */
const UNAVAILABLE = { step: 'server', check: 'jwks_unavailable' } as const;

/**
 * The one I/O adapter in core, shared by the STS and the console (not part of the engine entry
 * point, which does no I/O). JWKS documents fetched by URI (trusted issuers', clients'), cached in
 * memory. Fetches are bounded in time and size, reach only allowed addresses (JwksNetworkPolicy),
 * and follow no redirect. When a URI cannot be fetched and no cached key fits, the caller gets
 * temporarily_unavailable, described only as "unreachable".
 */
export class RemoteJwks {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: Required<Omit<RemoteJwksOptions, 'lookup'>> &
    Pick<RemoteJwksOptions, 'lookup'>;

  constructor(options: RemoteJwksOptions) {
    this.opts = {
      maxAgeMs: 10 * 60_000,
      maxStaleMs: 24 * 3_600_000,
      cooldownMs: 30_000,
      failureBackoffMs: 5_000,
      timeoutMs: 5_000,
      maxBytes: 256 * 1024,
      maxKeys: 100,
      allowPrivateNetworks: false,
      clock: Date.now,
      log: (message) => console.warn(message),
      onFetch: () => {},
      ...options,
    };
  }

  /** Throws TypeError for a URI this STS will not fetch (checked when configuration loads). */
  assertFetchable(uri: string): void {
    assertFetchableJwksUri(uri, this.opts);
  }

  async key(uri: string, header: JWSHeaderParameters): Promise<VerifyKey | undefined> {
    const entry = this.entries.get(uri) ?? { fetchedAt: 0, loadedAt: 0 };
    this.entries.set(uri, entry);
    const now = this.opts.clock();
    // An issuer that just failed is not asked again on every request.
    if (entry.failed && now - entry.fetchedAt < this.opts.failureBackoffMs)
      throw unreachable(uri, '(retrying shortly)');
    // A key set too old to be served while its issuer is down is forgotten.
    if (entry.lookup && now - entry.loadedAt > this.opts.maxAgeMs + this.opts.maxStaleMs)
      entry.lookup = undefined;
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
      entry.failed = false;
    } catch (err) {
      // The precise reason goes to the log only: the audit and the client see "unreachable".
      this.opts.log(`JWKS ${uri}: ${describeJwksError(err)}`);
      // A stale cached set keeps working, for at most maxStaleMs, while the issuer is unreachable.
      if (required || !entry.lookup) {
        entry.failed = true;
        throw unreachable(uri, '', err);
      }
    }
  }

  private async fetchInto(uri: string, entry: Entry): Promise<void> {
    try {
      this.assertFetchable(uri);
      entry.fetchedAt = this.opts.clock();
      const jwks = await fetchJwks(uri, this.opts);
      entry.lookup = keyLookup(jwks);
      entry.loadedAt = entry.fetchedAt;
    } catch (err) {
      this.opts.onFetch(uri, false);
      throw err;
    }
    this.opts.onFetch(uri, true);
  }
}

const unreachable = (uri: string, note: string, cause?: unknown) =>
  temporarilyUnavailable(
    `JWKS ${uri}: ${JWKS_UNREACHABLE}${note ? ` ${note}` : ''}`,
    UNAVAILABLE,
    cause,
  );

/** Limits of one JWKS fetch, and which network addresses it may reach. */
export interface FetchJwksOptions extends JwksNetworkPolicy {
  timeoutMs?: number;
  maxBytes?: number;
  maxKeys?: number;
}

/**
 * Which addresses a JWKS fetch may connect to. Only global unicast addresses by default: a JWKS
 * URI is admin input and must not turn the STS into a scanner of its own network (SSRF).
 */
export interface JwksNetworkPolicy {
  /**
   * Allow loopback addresses (127.0.0.0/8, ::1), and http:// on them (local setups and tests):
   * STS_ALLOW_LOOPBACK_HTTP_JWKS.
   */
  allowLoopbackHttp: boolean;
  /**
   * Allow private networks: RFC 1918, carrier-grade NAT (100.64.0.0/10), IPv6 unique local
   * (fc00::/7), for an identity provider inside the same network: STS_JWKS_ALLOW_PRIVATE_NETWORKS.
   * Link-local (cloud metadata), multicast, reserved and unspecified addresses are never allowed.
   */
  allowPrivateNetworks?: boolean;
  /** Resolves host names (node:dns lookup); tests inject one. */
  lookup?: LookupFunction;
}

/** The one description a client, the console and the audit get for any failed fetch. */
export const JWKS_UNREACHABLE = 'unreachable';

/**
 * A failed JWKS fetch. Its message is always the generic JWKS_UNREACHABLE, whatever happened
 * (a refused address, a refused connection, a timeout, an HTTP status, a bad document): telling
 * them apart would let whoever sets a JWKS URI probe the network. `cause` keeps the precise reason
 * for the server's log (describeJwksError).
 */
export class JwksUnreachableError extends Error {
  constructor(cause: unknown) {
    super(JWKS_UNREACHABLE, { cause });
    this.name = 'JwksUnreachableError';
  }
}

/** Connecting to an address the policy refuses. */
class RefusedAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which JWKS fetches may not reach`);
    this.name = 'RefusedAddressError';
  }
}

const PRIVATE_RANGES = new Set(['private', 'carrierGradeNat', 'uniqueLocal']);

/**
 * Whether a JWKS fetch may connect to `address`. ipaddr.js classifies it (IPv4-mapped IPv6 is
 * taken as the IPv4 address it maps); only `unicast` (global) passes by default.
 */
export function jwksAddressAllowed(address: string, policy: JwksNetworkPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return true;
  if (range === 'loopback') return policy.allowLoopbackHttp;
  if (PRIVATE_RANGES.has(range)) return policy.allowPrivateNetworks === true;
  return false;
}

/** Throws TypeError for a URI that will not be fetched: https only (http on loopback if allowed). */
export function assertFetchableJwksUri(
  uri: string,
  { allowLoopbackHttp }: Pick<FetchJwksOptions, 'allowLoopbackHttp'>,
): void {
  const url = new URL(uri);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowLoopbackHttp && isLoopbackHost(url.hostname)) return;
  throw new TypeError(
    `JWKS URI ${uri} must use https (http is allowed on loopback with STS_ALLOW_LOOPBACK_HTTP_JWKS=true)`,
  );
}

/** `localhost`, or an IP literal in a loopback range (URL parsing already turned 127.1 into 127.0.0.1). */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  const ip = unbracket(hostname);
  return ipaddr.isValid(ip) && ipaddr.process(ip).range() === 'loopback';
}

const unbracket = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The resolver a JWKS connection uses: every address a name resolves to must be allowed, checked
 * when the socket connects (not only when the URI is saved, so DNS rebinding cannot bypass it).
 */
function guardedLookup(host: string, policy: JwksNetworkPolicy): LookupFunction {
  const resolve = policy.lookup ?? dnsLookup;
  return ((hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = (Array.isArray(addresses) ? addresses : []) as LookupAddress[];
      const refused = list.find((a) => !jwksAddressAllowed(a.address, policy));
      if (refused || !list[0])
        return callback(new RefusedAddressError(host, refused?.address ?? 'nothing'), '', 0);
      if (options.all) return (callback as unknown as LookupAllCallback)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  }) as LookupFunction;
}

/**
 * Fetches a JWK Set once, with the limits RemoteJwks applies: https only, allowed addresses only,
 * 5 s, 256 KiB, 100 keys, no redirects. Returns the document's keys as found (private or
 * symmetric ones included: see isPublicKey of ../keys/key-sets); throws JwksUnreachableError,
 * whose cause says what went wrong (describeJwksError).
 */
export async function fetchJwks(uri: string, options: FetchJwksOptions): Promise<JSONWebKeySet> {
  const { timeoutMs = 5_000, maxBytes = 256 * 1024, maxKeys = 100 } = options;
  assertFetchableJwksUri(uri, options);
  try {
    const text = await getLimited(new URL(uri), options, timeoutMs, maxBytes);
    const jwks = JSON.parse(text) as JSONWebKeySet;
    if (!Array.isArray(jwks?.keys)) throw new Error('not a JWK Set');
    if (jwks.keys.length > maxKeys) throw new Error(`more than ${maxKeys} keys`);
    return jwks;
  } catch (err) {
    throw new JwksUnreachableError(err);
  }
}

/** One GET with node:http(s), whose connection resolves through guardedLookup. */
function getLimited(
  url: URL,
  policy: JwksNetworkPolicy,
  timeoutMs: number,
  maxBytes: number,
): Promise<string> {
  // Node connects to an IP literal without calling lookup: check it here.
  const literal = unbracket(url.hostname);
  if (isIP(literal) && !jwksAddressAllowed(literal, policy))
    return Promise.reject(new RefusedAddressError(url.hostname, literal));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<string>((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      agent: false,
      lookup: guardedLookup(url.hostname, policy),
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    // One deadline for connecting and reading the whole document.
    const timer = setTimeout(() => {
      const timeout = new Error(`no answer within ${timeoutMs} ms`);
      timeout.name = 'TimeoutError';
      req.destroy(timeout);
    }, timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // Redirects are not followed.
      if (status < 200 || status > 299) {
        res.resume();
        return fail(new Error(`HTTP ${status}`));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        req.destroy();
        return fail(new Error(`larger than ${maxBytes} bytes`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy();
          fail(new Error(`larger than ${maxBytes} bytes`));
        } else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    req.end();
  });
}

/**
 * The precise reason of a failed JWKS fetch ("timed out", "HTTP 404", "larger than …", a refused
 * address), for the server's log only.
 */
export function describeJwksError(err: unknown): string {
  if (err instanceof JwksUnreachableError) return describeJwksError(err.cause);
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'timed out';
  // Node's socket errors say what failed in their code (ECONNREFUSED, ENOTFOUND…).
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code)
    ? `${err.message} (${code})`
    : err.message;
}
