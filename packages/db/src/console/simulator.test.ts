import { createSecretKey, randomBytes } from 'node:crypto';
import { RuleSchema } from '@sts/core';
import { describe, expect, it } from 'vitest';
import { loadTenants, readConfigVersion } from '../repositories/config';
import { ensureActiveKey } from '../repositories/signing-keys';
import { useTempDatabase } from '../test/temp-database';
import { createAdminUser } from './admin-users';
import {
  loadSimulationTenant,
  testIssuerKey,
  testIssuerStatus,
  trustTestIssuer,
} from './simulator';

const t = useTempDatabase();
const PUBLIC_URL = 'https://sts.example.test/';
const TEST_ISSUER = 'https://console.example.test/test-issuer/acme';
const kek = () => createSecretKey(randomBytes(32));

async function tenant(id = 'acme') {
  await t.db.prisma.tenant.create({
    data: {
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
      source: 'console',
    },
  });
}

describe('loadSimulationTenant', () => {
  it('builds the tenant as loadTenants does, with public signing keys only', async () => {
    await tenant();
    const { prisma } = t.db;
    const rule = RuleSchema.parse({
      id: 'r',
      clients: ['gateway'],
      subjectIssuers: ['self'],
      mode: 'impersonation',
      audiences: ['https://orders.example'],
    });
    await prisma.rule.create({
      data: { tenantId: 'acme', ruleId: 'r', position: 0, definition: JSON.stringify(rule) },
    });
    await prisma.client.create({
      data: {
        tenantId: 'acme',
        clientId: 'gateway',
        authMethod: 'client_secret_basic',
        secretHash: 'x',
        allowTokenExchange: true,
        disabled: false,
      },
    });
    await ensureActiveKey(t.db, kek(), 'acme', 'ES256');

    const sim = await loadSimulationTenant(prisma, 'acme', PUBLIC_URL);
    const [loaded] = await loadTenants(t.db, PUBLIC_URL);
    expect(sim?.tenant).toEqual(loaded?.tenant);
    expect(sim?.tenant.issuer).toBe('https://sts.example.test/t/acme');
    expect(sim?.clients).toEqual([
      {
        clientId: 'gateway',
        displayName: null,
        authMethod: 'client_secret_basic',
        allowTokenExchange: true,
        disabled: false,
      },
    ]);
    expect(sim?.ownKeys).toHaveLength(1);
    expect(sim?.ownKeys[0]).toMatchObject({ alg: 'ES256', status: 'active' });
    expect(sim?.ownKeys[0]?.publicJwk).not.toHaveProperty('d');
    expect(await loadSimulationTenant(prisma, 'nope', PUBLIC_URL)).toBeNull();
  });
});

describe('the test issuer', () => {
  it('creates one ES256 key per tenant on first use, stored encrypted', async () => {
    await tenant();
    const key = kek();
    const first = await testIssuerKey(t.db.prisma, key, 'acme');
    const again = await testIssuerKey(t.db.prisma, key, 'acme');
    expect(again).toEqual(first);
    expect(first.publicJwk).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      kid: first.kid,
    });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(first.privateJwk).toHaveProperty('d');

    const row = await t.db.prisma.testIssuerKey.findUniqueOrThrow({ where: { tenantId: 'acme' } });
    expect(JSON.parse(row.publicJwk)).not.toHaveProperty('d');
    expect(row.encryptedPrivateKey).toMatch(/^v1\./);
    expect(row.encryptedPrivateKey).not.toContain(String(first.privateJwk.d));
    // Another key-encryption key cannot open it.
    await expect(testIssuerKey(t.db.prisma, kek(), 'acme')).rejects.toThrow('decryption failed');
    // Creating the key is not a configuration change.
    expect(readConfigVersion(t.db)).toBe(0);
  });

  it('is trusted by an admin action, with its public key inline, and goes with the tenant', async () => {
    await tenant();
    const { prisma } = t.db;
    const key = kek();
    const admin = await createAdminUser(prisma, { email: 'ada@example.test', role: 'owner' });
    expect(await testIssuerStatus(prisma, 'acme', TEST_ISSUER)).toEqual({
      issuer: TEST_ISSUER,
      kid: null,
      trusted: false,
      trustedWithKey: false,
    });
    const status = await trustTestIssuer(prisma, admin, key, 'acme', TEST_ISSUER);
    const { kid, publicJwk } = await testIssuerKey(prisma, key, 'acme');
    expect(status).toEqual({ issuer: TEST_ISSUER, kid, trusted: true, trustedWithKey: true });

    const [loaded] = await loadTenants(t.db, PUBLIC_URL);
    expect(loaded?.tenant.trustedIssuers).toEqual([
      { issuer: TEST_ISSUER, jwks: { keys: [publicJwk] }, audiences: [], algorithms: ['ES256'] },
    ]);
    expect(readConfigVersion(t.db)).toBe(1);
    await trustTestIssuer(prisma, admin, key, 'acme', TEST_ISSUER);
    const actions = await prisma.adminAction.findMany({ orderBy: { id: 'asc' } });
    expect(actions.map((a) => [a.action, a.target])).toEqual([
      ['issuer.create', TEST_ISSUER],
      ['issuer.update', TEST_ISSUER],
    ]);
    expect(actions[0]?.details).not.toContain('"d"');

    await prisma.tenant.delete({ where: { id: 'acme' } });
    expect(await prisma.testIssuerKey.count()).toBe(0);
  });
});
