import type { IncomingMessage } from 'node:http';
import { OAuthError } from '@sts/core';
import ipaddr from 'ipaddr.js';
import type { StsApp } from '../app';
import { sourceAddress } from './source-address';

export type LimitedEndpoint = 'token' | 'introspect';

/**
 * A request over a rate limit: 429 (RFC 6585 §4) with Retry-After, and the OAuth error body
 * every other refusal has (`temporarily_unavailable`, RFC 6749 §4.1.2.1's code for an overloaded
 * server). Not audited: an audit record per refused request would be the amplification the
 * limit is there to stop. Counted in sts_rate_limited_total instead.
 */
export class RateLimitedError extends OAuthError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: 'address' | 'client',
  ) {
    super('temporarily_unavailable', 'Too many requests, retry later', {
      reason: { step: 'request', check: 'rate_limit' },
      detail: `rate limit per ${limit}`,
      status: 429,
    });
  }
}

/** The per-source-address limit, checked before the body is read. */
export function limitAddress(
  app: StsApp,
  endpoint: LimitedEndpoint,
  req: IncomingMessage,
): RateLimitedError | undefined {
  const decision = app.rateLimits.address.hit(addressKey(sourceAddress(req, app.trustedProxies)));
  if (decision.allowed) return undefined;
  app.metrics.rateLimited.inc({ endpoint, limit: 'address' });
  return new RateLimitedError(decision.retryAfterSeconds, 'address');
}

/**
 * What an address counts under: an IPv4 address, or an IPv6 address's /64 (one subscriber's
 * network usually holds a whole /64: counted per address it would have 2^64 budgets).
 */
export function addressKey(address: string): string {
  if (!ipaddr.IPv6.isValid(address) || ipaddr.IPv4.isValid(address)) return address;
  return `${ipaddr.IPv6.parse(address).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/** The per-client limit, checked once the client is authenticated. */
export function limitClient(
  app: StsApp,
  endpoint: LimitedEndpoint,
  tenantId: string,
  clientId: string,
): void {
  const decision = app.rateLimits.client.hit(`${tenantId}\n${clientId}`);
  if (decision.allowed) return;
  app.metrics.rateLimited.inc({ endpoint, limit: 'client' });
  throw new RateLimitedError(decision.retryAfterSeconds, 'client');
}
