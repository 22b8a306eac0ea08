import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { verifyJwsSignature } from '../keys/jws-signature';
import type { VerifyKey } from '../ports';

/**
 * Signatures already verified: a token presented again (a gateway forwarding one user's token
 * on every call) skips the signature arithmetic, and nothing else. An entry is the token's
 * SHA-256 under its tenant and issuer, and the very key that verified it; it counts only when
 * the key resolved for this request from the current configuration is that same key, and every
 * claim is checked again on every request. So a removed or revoked key, a changed issuer or an
 * expired token refuse the token exactly as without the cache. Bounded (the least recently used
 * leave first); an entry leaves when its token expires.
 */
export class VerifiedSignatures {
  private readonly entries: LRUCache<string, object>;

  /** `onLookup` hears whether each check was answered from the cache (metrics). */
  constructor(
    maxEntries: number,
    private readonly onLookup: (hit: boolean) => void = () => {},
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /**
   * Whether `token` carries a valid `alg` signature by `key`, from the cache when this key
   * verified it before. The token's `expiresAt` (seconds) and `now` (milliseconds) bound the
   * entry's life.
   */
  verify(
    scope: { tenantId: string; issuer: string },
    token: string,
    alg: string,
    key: VerifyKey,
    { expiresAt, now }: { expiresAt: number; now: number },
  ): boolean {
    const id = `${scope.tenantId}\n${scope.issuer}\n${createHash('sha256').update(token).digest('base64url')}`;
    const hit = this.entries.get(id) === key;
    this.onLookup(hit);
    if (hit) return true;
    if (!verifyJwsSignature(token, alg, key)) return false;
    const ttl = Math.floor(expiresAt * 1000 - now);
    if (ttl > 0) this.entries.set(id, key, { ttl });
    return true;
  }
}
