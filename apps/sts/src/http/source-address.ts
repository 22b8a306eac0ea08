import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

/**
 * The address a request comes from, for per-address rate limits: the connection's peer, unless
 * that peer is a proxy the operator listed (STS_TRUSTED_PROXIES). Then X-Forwarded-For is read
 * from the right: each hop appends the address it received from, so the first address that is
 * not a trusted proxy is the client's. Anything left of it was written by the client itself and
 * is never believed. Addresses are normalised (IPv4-mapped IPv6 as IPv4).
 */
export function sourceAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const peer = normalise(req.socket.remoteAddress ?? '') ?? 'unknown';
  if (!trusted.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  let source = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalise(hops[i] as string);
    // A malformed hop: stop at the last address we could vouch for.
    if (!hop) break;
    source = hop;
    if (!trusted.has(hop)) break;
  }
  return source;
}

function normalise(address: string): string | undefined {
  return ipaddr.isValid(address) ? ipaddr.process(address).toString() : undefined;
}

/** The proxies of STS_TRUSTED_PROXIES: addresses and CIDR ranges. */
export class TrustedProxies {
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(entries: string[]) {
    this.ranges = entries.map((entry) => {
      if (entry.includes('/')) return ipaddr.parseCIDR(entry);
      const address = ipaddr.process(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128];
    });
  }

  has(address: string): boolean {
    if (this.ranges.length === 0 || !ipaddr.isValid(address)) return false;
    const parsed = ipaddr.process(address);
    return this.ranges.some(
      ([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits),
    );
  }
}
