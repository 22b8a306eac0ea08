/**
 * Failed console sign-ins, counted per account (the e-mail address typed, whether an admin has
 * it or not, so the limit says nothing about which exist) and per source address, in a fixed
 * window. Once either count reaches its limit, sign-in with a password is refused for the rest
 * of the window, even with the right password; a successful sign-in clears the account's count.
 * In memory, per console process: a restart forgets the counts.
 */
export interface SignInLimits {
  /** Failed sign-ins per account per window. */
  perAccount: number;
  /** Failed sign-ins per source address per window. */
  perAddress: number;
  windowMs: number;
}

export type SignInLimitCheck = { ok: true } | { ok: false; retryAfterMs: number };

interface Count {
  failures: number;
  resetAt: number;
}

/** At most this many counts are kept per kind (expired ones go first, then the oldest). */
const MAX_ENTRIES = 10_000;

export class SignInLimiter {
  private readonly accounts = new Map<string, Count>();
  private readonly addresses = new Map<string, Count>();

  constructor(
    private readonly limits: SignInLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether this account may try to sign in from this address now. */
  check(account: string, address: string): SignInLimitCheck {
    const now = this.clock();
    const waits = [
      this.blockedFor(this.accounts, normalize(account), this.limits.perAccount, now),
      this.blockedFor(this.addresses, address, this.limits.perAddress, now),
    ];
    const retryAfterMs = Math.max(...waits);
    return retryAfterMs > 0 ? { ok: false, retryAfterMs } : { ok: true };
  }

  failed(account: string, address: string): void {
    const now = this.clock();
    this.count(this.accounts, normalize(account), now);
    this.count(this.addresses, address, now);
  }

  succeeded(account: string): void {
    this.accounts.delete(normalize(account));
  }

  private blockedFor(map: Map<string, Count>, key: string, limit: number, now: number): number {
    const entry = map.get(key);
    if (!entry || entry.resetAt <= now) return 0;
    return entry.failures >= limit ? entry.resetAt - now : 0;
  }

  private count(map: Map<string, Count>, key: string, now: number): void {
    const entry = map.get(key);
    if (entry && entry.resetAt > now) {
      entry.failures += 1;
      return;
    }
    if (map.size >= MAX_ENTRIES) prune(map, now);
    map.delete(key);
    map.set(key, { failures: 1, resetAt: now + this.limits.windowMs });
  }
}

const normalize = (account: string) => account.trim().toLowerCase();

function prune(map: Map<string, Count>, now: number): void {
  for (const [key, entry] of map) if (entry.resetAt <= now) map.delete(key);
  // Still full: drop the oldest (a Map iterates in insertion order).
  for (const key of map.keys()) {
    if (map.size < MAX_ENTRIES) break;
    map.delete(key);
  }
}

/**
 * The address a request comes from: the X-Forwarded-For entry `trustedProxies` from the right
 * (the console's server fills the header with the peer's address when the request has none).
 * With no proxy in front that overwrites or appends to the header, a client can choose what it
 * says, and only the per-account limit holds (README: CONSOLE_TRUSTED_PROXIES).
 */
export function sourceAddress(forwardedFor: string | null | undefined, trustedProxies: number) {
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length === 0) return 'unknown';
  const index = Math.max(0, hops.length - Math.max(1, trustedProxies));
  return (hops[index] ?? 'unknown').slice(0, 64);
}

/** What the sign-in form shows for a refusal: how long to wait, in whole minutes. */
export const SIGN_IN_LIMITED = 'SignInLimited';
export const limitedMessage = (retryAfterMs: number) =>
  `${SIGN_IN_LIMITED}:${Math.max(1, Math.ceil(retryAfterMs / 60_000))}`;
