import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../crypto/password';
import { useTempDatabase } from '../test/temp-database';
import { adminActionRecord, configChanged } from './admin-actions';
import {
  createAdminUser,
  findAdmin,
  findOrCreateSsoAdmin,
  verifyAdminPassword,
} from './admin-users';

const t = useTempDatabase();

describe('admin passwords (scrypt)', () => {
  it('verifies the right password only, with a per-hash salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999999$8$1$AAAA$AAAA')).toBe(false);
  });
});

describe('admin users', () => {
  it('signs in by e-mail (case-insensitive) and password; refuses wrong, unknown and disabled', async () => {
    const { prisma } = t.db;
    await prisma.tenant.create({
      data: {
        id: 'acme',
        displayName: 'Acme',
        accessTokenTtlSeconds: 300,
        signingAlg: 'ES256',
        source: 'console',
      },
    });
    const created = await createAdminUser(prisma, {
      email: 'Ada@Example.test',
      password: 'a long enough password',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(created).toMatchObject({
      email: 'ada@example.test',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(
      await verifyAdminPassword(prisma, 'ADA@example.test', 'a long enough password'),
    ).toMatchObject({
      id: created.id,
    });
    expect(await verifyAdminPassword(prisma, 'ada@example.test', 'wrong password!!')).toBeNull();
    expect(
      await verifyAdminPassword(prisma, 'nobody@example.test', 'a long enough password'),
    ).toBeNull();
    const stored = await prisma.adminUser.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.passwordHash).not.toContain('a long enough password');

    await prisma.adminUser.update({ where: { id: created.id }, data: { disabled: true } });
    expect(
      await verifyAdminPassword(prisma, 'ada@example.test', 'a long enough password'),
    ).toBeNull();
    expect(await findAdmin(prisma, created.id)).toBeNull();
  });

  it('refuses short passwords', async () => {
    await expect(
      createAdminUser(t.db.prisma, { email: 'b@example.test', password: 'short', role: 'owner' }),
    ).rejects.toThrow(TypeError);
  });

  it('creates single-sign-on admins only when told to', async () => {
    const { prisma } = t.db;
    expect(await findOrCreateSsoAdmin(prisma, 'sso@example.test', 'S', undefined)).toBeNull();
    const viewer = await findOrCreateSsoAdmin(prisma, 'sso@example.test', 'S', 'viewer');
    expect(viewer).toMatchObject({ email: 'sso@example.test', role: 'viewer' });
    expect(await findOrCreateSsoAdmin(prisma, 'SSO@example.test', 'S', undefined)).toMatchObject({
      id: viewer?.id,
    });
  });

  it('records an admin action in the same transaction as the configuration change', async () => {
    const { prisma } = t.db;
    const admin = await createAdminUser(prisma, {
      email: 'o@example.test',
      password: 'owner password 1',
      role: 'owner',
    });
    await prisma.$transaction([
      configChanged(prisma),
      adminActionRecord(prisma, admin, {
        action: 'tenant.create',
        tenantId: 'acme',
        details: { displayName: 'Acme' },
      }),
      configChanged(prisma),
    ]);
    expect((await prisma.configVersion.findUniqueOrThrow({ where: { id: 1 } })).version).toBe(2);
    const [action] = await prisma.adminAction.findMany();
    expect(action).toMatchObject({
      actorEmail: 'o@example.test',
      action: 'tenant.create',
      tenantId: 'acme',
    });
    expect(JSON.parse(action?.details ?? '')).toEqual({ displayName: 'Acme' });
  });
});
