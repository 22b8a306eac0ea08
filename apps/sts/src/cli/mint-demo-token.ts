import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importJWK, type JWK, SignJWT } from 'jose';

/**
 * Mints a token of the demo identity provider (https://demo-idp.example), for trying the demo
 * tenant. DEMO ONLY: the key is committed to the repository.
 */
export const DEMO_IDP = 'https://demo-idp.example';
const KEY_FILE = new URL('../../../../config/demo/demo-idp.private.jwk.json', import.meta.url);

export async function mintDemoToken(options: {
  sub: string;
  scope?: string;
  aud?: string;
  ttlSeconds?: number;
  claims?: Record<string, unknown>;
}): Promise<string> {
  const jwk = JSON.parse(readFileSync(KEY_FILE, 'utf8')) as JWK;
  const key = await importJWK(jwk, 'ES256');
  return new SignJWT({ ...options.claims, ...(options.scope ? { scope: options.scope } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'at+jwt' })
    .setIssuer(DEMO_IDP)
    .setSubject(options.sub)
    .setAudience(options.aud ?? 'https://gateway.demo.example')
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(key);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'alice' },
      scope: { type: 'string', default: 'orders:read orders:write calendar:read' },
      aud: { type: 'string' },
      email: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  const token = await mintDemoToken({
    sub: values.sub,
    scope: values.scope,
    aud: values.aud,
    ttlSeconds: Number(values.ttl),
    claims: { email: values.email ?? `${values.sub}@demo.example` },
  });
  console.log(token);
}
