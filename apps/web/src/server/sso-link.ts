import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * "Link single sign-on" (decision 0014): an admin signed in with their password asks to link
 * their identity at the provider; the console sets this short-lived cookie, signed with the
 * session key, naming the admin; the SSO sign-in that follows links the provider's identity
 * to that admin only if the same admin is still signed in. The cookie alone links nothing.
 */
export const SSO_LINK_COOKIE = 'sts-console.sso-link';
export const SSO_LINK_TTL_MS = 10 * 60 * 1000;

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`sso-link:${payload}`).digest('base64url');

/** The cookie's value: `<adminId>.<expires ms>.<mac>`. */
export function ssoLinkIntent(secret: string, adminId: string, now: number): string {
  const payload = `${adminId}.${now + SSO_LINK_TTL_MS}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The admin id a valid, unexpired intent names, or null. */
export function readSsoLinkIntent(
  secret: string,
  value: string | undefined,
  now: number,
): string | null {
  if (!value || value.length > 512) return null;
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  const [adminId, expires, given] = parts as [string, string, string];
  const expected = Buffer.from(mac(secret, `${adminId}.${expires}`));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  if (!/^\d+$/.test(expires) || Number(expires) <= now) return null;
  return adminId;
}
