import type { JsonWebKey } from 'node:crypto';
import { openPrivateJwk, sealedKeyPair } from '@sts/crypto';
import type { Admin } from '@sts/db';
import { type ConsoleContext, changeBy } from '../context';
import type { TestIssuerStatus } from './types';

/**
 * The tenant's test issuer, `<consoleUrl>/test-issuer/<tenant>`: one ES256 key pair per tenant,
 * made on first use, that signs the tokens an admin composes in the simulator. The STS accepts
 * its tokens only once an admin trusts it (trustTestIssuer).
 */
export function testIssuerUrl(ctx: ConsoleContext, tenantId: string): string {
  return `${ctx.consoleUrl.replace(/\/+$/, '')}/test-issuer/${tenantId}`;
}

/** The test issuer's key pair, private part opened (made and stored sealed on first use). */
export async function testIssuerKeyPair(ctx: ConsoleContext, tenantId: string) {
  const kek = ctx.keys.keyEncryptionKey;
  const key = await ctx.db.testIssuerKeys.getOrCreate(tenantId, () =>
    sealedKeyPair(kek, 'test_issuer_keys', tenantId, 'ES256'),
  );
  const privateJwk: JsonWebKey = openPrivateJwk(
    kek,
    'test_issuer_keys',
    tenantId,
    key.kid,
    key.sealedPrivateKey,
  );
  return { kid: key.kid, publicJwk: key.publicJwk, privateJwk };
}

/** Whether the tenant trusts its test issuer, and with the right key. */
export async function testIssuerStatus(
  ctx: ConsoleContext,
  tenantId: string,
): Promise<TestIssuerStatus> {
  const issuer = testIssuerUrl(ctx, tenantId);
  const [key, issuers] = await Promise.all([
    ctx.db.testIssuerKeys.find(tenantId),
    ctx.db.trustedIssuers.list(tenantId),
  ]);
  const trusted = issuers.find((i) => i.issuer === issuer);
  return {
    issuer,
    kid: key?.kid ?? null,
    trusted: trusted !== undefined,
    trustedWithKey: key !== null && (trusted?.jwks?.keys.some((k) => k.kid === key.kid) ?? false),
  };
}

/**
 * Makes the tenant trust its test issuer with the test key's public JWK inline (ES256, any
 * audience by explicit opt-in), creating the key if needed; a trusted issuer of that URL gets the
 * current key. Recorded as issuer.create or issuer.update; the STS reloads.
 */
export async function trustTestIssuer(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
): Promise<TestIssuerStatus> {
  const issuer = testIssuerUrl(ctx, tenantId);
  const { publicJwk } = await testIssuerKeyPair(ctx, tenantId);
  // The admin composes its tokens with whatever aud a rule expects: any audience, explicitly
  // (decision 0010); access tokens carry at+jwt (composeToken).
  const trusted = {
    issuer,
    jwks: { keys: [{ ...publicJwk, kty: publicJwk.kty ?? 'EC' }] },
    audiences: [],
    anyAudience: true,
    accessTokenTyp: ['at+jwt' as const],
    algorithms: ['ES256' as const],
  };
  await ctx.db.trustedIssuers.put(tenantId, trusted, (created) =>
    changeBy(admin, created ? 'issuer.create' : 'issuer.update', {
      tenantId,
      target: issuer,
      details: {
        testIssuer: true,
        jwksKids: [publicJwk.kid],
        audiences: [],
        anyAudience: true,
        algorithms: ['ES256'],
      },
    }),
  );
  return testIssuerStatus(ctx, tenantId);
}
