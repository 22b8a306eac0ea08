import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from '~/lib/csp';

describe('contentSecurityPolicy', () => {
  it('allows scripts only with the nonce; no eval outside development', () => {
    const policy = contentSecurityPolicy('abc', { dev: false, https: false });
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    const dev = contentSecurityPolicy('abc', { dev: true, https: true });
    expect(dev).toContain("'unsafe-eval'");
    expect(dev).toContain('upgrade-insecure-requests');
  });

  it('makes a new 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});
