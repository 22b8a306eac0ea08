import type { JsonWebKey, KeyObject } from 'node:crypto';
import { CLIENT_AUTH_METHODS, type ClientAuthMethod, type Tenant } from '@sts/core';
import { decrypt, encrypt } from '../crypto/encryption';
import { generateKeyPair } from '../crypto/key-pair';
import type { Database } from '../open';
import { toTenant } from '../repositories/config';
import { oneOf, parseStoredJson } from '../repositories/stored';
import { adminActionRecord, configChanged } from './admin-actions';
import type { Admin } from './admin-users';

/**
 * What the console's exchange simulator reads, and its test issuer. The simulator decides with
 * core's exchange() on read-only data: the tenant as the STS loads it, the tenant's PUBLIC
 * signing keys (private parts are never read here) and its clients' names and flags.
 */
type Prisma = Database['prisma'];

export interface SimulationClient {
  clientId: string;
  displayName: string | null;
  authMethod: ClientAuthMethod;
  allowTokenExchange: boolean;
  disabled: boolean;
}

/** A tenant signing key's public half: what verifies the tokens the tenant issued. */
export interface PublicSigningKey {
  kid: string;
  alg: string;
  status: 'active' | 'retiring';
  publicJwk: JsonWebKey;
}

export interface SimulationTenant {
  tenant: Tenant;
  clients: SimulationClient[];
  /** Active key first. */
  ownKeys: PublicSigningKey[];
}

/**
 * The tenant as loadTenants (repositories/config.ts) builds it for the STS: issuer
 * `<publicUrl>/t/<id>`, trusted issuers and rules (in order) validated with the core schemas.
 * Null when the tenant does not exist.
 */
export async function loadSimulationTenant(
  prisma: Prisma,
  tenantId: string,
  publicUrl: string,
): Promise<SimulationTenant | null> {
  const t = await prisma.tenant.findUnique({
    where: { id: tenantId },
    include: {
      clients: { orderBy: { clientId: 'asc' } },
      trustedIssuers: { orderBy: { issuer: 'asc' } },
      rules: { orderBy: { position: 'asc' } },
      signingKeys: {
        where: { status: { in: ['active', 'retiring'] } },
        orderBy: [{ activatedAt: 'desc' }, { createdAt: 'desc' }],
        select: { id: true, alg: true, status: true, publicJwk: true },
      },
    },
  });
  if (!t) return null;
  const tenant = toTenant(t, publicUrl);
  const clients = t.clients.map(
    (c): SimulationClient => ({
      clientId: c.clientId,
      displayName: c.displayName,
      authMethod: oneOf(
        CLIENT_AUTH_METHODS,
        c.authMethod,
        `tenant ${t.id}, client ${c.clientId}: auth_method`,
      ),
      allowTokenExchange: c.allowTokenExchange,
      disabled: c.disabled,
    }),
  );
  const ownKeys = t.signingKeys
    .map(
      (k): PublicSigningKey => ({
        kid: k.id,
        alg: k.alg,
        status: oneOf(['active', 'retiring'], k.status, `tenant ${t.id}, signing key ${k.id}`),
        publicJwk: parseStoredJson(
          k.publicJwk,
          `tenant ${t.id}, signing key ${k.id}`,
        ) as JsonWebKey,
      }),
    )
    .sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'));
  return { tenant, clients, ownKeys };
}

// ---------------------------------------------------------------------------------------------
// The test issuer: `<NEXTAUTH_URL>/test-issuer/<tenant>`, one ES256 key pair per tenant.

export interface TestIssuerKeyPair {
  kid: string;
  /** kid, alg ES256 and use sig set; never "d". */
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
}

/** Binds an encrypted private key to its row: copied to another tenant or kid, it does not decrypt. */
const testKeyAad = (tenantId: string, kid: string) =>
  JSON.stringify(['test_issuer_keys', tenantId, kid]);

/**
 * The tenant's test issuer key pair, created on first use (ES256, the private JWK stored
 * encrypted under the key-encryption key). Creating it changes no configuration: the STS
 * accepts its tokens only once an admin trusts the test issuer (trustTestIssuer).
 */
export async function testIssuerKey(
  prisma: Prisma,
  kek: KeyObject,
  tenantId: string,
): Promise<TestIssuerKeyPair> {
  const row = await prisma.testIssuerKey.findUnique({ where: { tenantId } });
  if (row) return openTestKey(kek, row);
  const { kid, publicJwk, privateJwk } = generateKeyPair('ES256');
  try {
    await prisma.testIssuerKey.create({
      data: {
        tenant: { connect: { id: tenantId } },
        kid,
        publicJwk: JSON.stringify(publicJwk),
        encryptedPrivateKey: encrypt(kek, JSON.stringify(privateJwk), testKeyAad(tenantId, kid)),
      },
    });
    return { kid, publicJwk, privateJwk };
  } catch (err) {
    // Created by a concurrent request meanwhile: use that one.
    if ((err as { code?: unknown }).code !== 'P2002') throw err;
    const created = await prisma.testIssuerKey.findUniqueOrThrow({ where: { tenantId } });
    return openTestKey(kek, created);
  }
}

function openTestKey(
  kek: KeyObject,
  row: { tenantId: string; kid: string; publicJwk: string; encryptedPrivateKey: string },
): TestIssuerKeyPair {
  const where = `tenant ${row.tenantId}, test issuer key ${row.kid}`;
  return {
    kid: row.kid,
    publicJwk: parseStoredJson(row.publicJwk, where) as JsonWebKey,
    privateJwk: JSON.parse(
      decrypt(kek, row.encryptedPrivateKey, testKeyAad(row.tenantId, row.kid)),
    ) as JsonWebKey,
  };
}

export interface TestIssuerStatus {
  issuer: string;
  /** The key exists (it is made on first use). */
  kid: string | null;
  /** The tenant trusts `issuer`. */
  trusted: boolean;
  /** …with an inline JWKS that holds the test issuer's current key. */
  trustedWithKey: boolean;
}

/** Whether the tenant trusts its test issuer `issuer`, and with the right key. */
export async function testIssuerStatus(
  prisma: Prisma,
  tenantId: string,
  issuer: string,
): Promise<TestIssuerStatus> {
  const [key, trusted] = await Promise.all([
    prisma.testIssuerKey.findUnique({ where: { tenantId }, select: { kid: true } }),
    prisma.trustedIssuer.findUnique({
      where: { tenantId_issuer: { tenantId, issuer } },
      select: { jwks: true },
    }),
  ]);
  let kids: unknown[] = [];
  try {
    const jwks = trusted?.jwks ? (JSON.parse(trusted.jwks) as { keys?: unknown }) : undefined;
    if (Array.isArray(jwks?.keys)) kids = jwks.keys.map((k) => (k as { kid?: unknown })?.kid);
  } catch {
    kids = [];
  }
  return {
    issuer,
    kid: key?.kid ?? null,
    trusted: trusted !== null,
    trustedWithKey: key !== null && kids.includes(key.kid),
  };
}

/**
 * Makes the tenant trust its test issuer `issuer` with the test key's public JWK inline (ES256,
 * no audience restriction), creating the key if needed; an existing trusted issuer of that URL
 * gets the current key. Recorded as issuer.create or issuer.update; the STS reloads.
 */
export async function trustTestIssuer(
  prisma: Prisma,
  admin: Admin,
  kek: KeyObject,
  tenantId: string,
  issuer: string,
): Promise<TestIssuerStatus> {
  const { publicJwk } = await testIssuerKey(prisma, kek, tenantId);
  const where = { tenantId_issuer: { tenantId, issuer } };
  const existing = await prisma.trustedIssuer.findUnique({ where, select: { issuer: true } });
  const columns = {
    jwksUri: null,
    jwks: JSON.stringify({ keys: [publicJwk] }),
    audiences: JSON.stringify([]),
    algorithms: JSON.stringify(['ES256']),
  };
  await prisma.$transaction([
    existing
      ? prisma.trustedIssuer.update({ where, data: columns })
      : prisma.trustedIssuer.create({
          data: { tenant: { connect: { id: tenantId } }, issuer, ...columns },
        }),
    adminActionRecord(prisma, admin, {
      action: existing ? 'issuer.update' : 'issuer.create',
      tenantId,
      target: issuer,
      details: {
        testIssuer: true,
        jwksKids: [publicJwk.kid],
        audiences: [],
        algorithms: ['ES256'],
      },
    }),
    configChanged(prisma),
  ]);
  return testIssuerStatus(prisma, tenantId, issuer);
}
