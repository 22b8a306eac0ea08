import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open';
import { useTempDatabase, useTempDir } from './test/temp-database';

describe('openDatabase', () => {
  const tmp = useTempDir();

  it('creates the parent directory and a migrated database in WAL mode', async () => {
    const db = await openDatabase(`file:${join(tmp.path, 'nested', 'dir', 'sts.db')}`);
    expect(existsSync(join(tmp.path, 'nested', 'dir', 'sts.db'))).toBe(true);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    const applied = db.sqlite
      .prepare('SELECT name FROM _sts_migrations ORDER BY name')
      .pluck()
      .all();
    expect(applied[0]).toBe('0001_init');
    expect(applied).toEqual(
      readdirSync(join(import.meta.dirname, '../migrations/sqlite'))
        .filter((f) => f.endsWith('.sql'))
        .map((f) => f.slice(0, -'.sql'.length))
        .sort(),
    );
    await db.close();
  });

  it('accepts file:// URLs and opens an existing database again', async () => {
    const url = pathToFileURL(join(tmp.path, 'sts.db')).href;
    const first = await openDatabase(url);
    await first.prisma.configVersion.create({ data: { id: 1, version: 7 } });
    await first.close();

    const again = await openDatabase(url);
    expect(await again.prisma.configVersion.findUnique({ where: { id: 1 } })).toEqual({
      id: 1,
      version: 7,
    });
    await again.close();
  });

  it('rejects what is not a SQLite file', async () => {
    await expect(openDatabase('postgresql://localhost/sts')).rejects.toThrow(TypeError);
    await expect(openDatabase(':memory:')).rejects.toThrow(/in-memory and server databases/);
  });
});

describe('the generated Prisma client on a migrated database', () => {
  const temp = useTempDatabase();

  it('creates and reads every model', async () => {
    const { prisma } = temp.db;
    const at = new Date('2026-01-02T03:04:05.678Z');

    await prisma.tenant.create({
      data: {
        id: 'acme',
        displayName: 'Acme',
        accessTokenTtlSeconds: 300,
        signingAlg: 'ES256',
        source: 'console',
        clients: {
          create: {
            clientId: 'gateway',
            authMethod: 'client_secret_basic',
            secretHash: 'hmac-sha256$x',
            allowTokenExchange: true,
            disabled: false,
          },
        },
        trustedIssuers: {
          create: {
            issuer: 'https://idp.example',
            jwksUri: 'https://idp.example/jwks',
            audiences: '[]',
            algorithms: '["RS256"]',
          },
        },
        rules: { create: { ruleId: 'r1', position: 0, definition: '{}' } },
        signingKeys: {
          create: {
            id: 'kid-1',
            alg: 'ES256',
            status: 'active',
            publicJwk: '{}',
            encryptedPrivateKey: 'v1.a.b.c',
            activatedAt: at,
          },
        },
      },
    });
    await prisma.auditEvent.create({
      data: {
        id: '01JGZ0000000000000000000000',
        tenantId: 'acme',
        actorChain: '[]',
        requestedAudiences: '[]',
        grantedAudiences: '[]',
        decision: 'denied',
        trace: '[]',
        createdAt: at,
      },
    });
    await prisma.usedJti.create({
      data: { tenantId: 'acme', issuer: 'gateway', jti: 'j1', expiresAt: at },
    });
    await prisma.configVersion.create({ data: { id: 1, version: 1 } });

    const tenant = await prisma.tenant.findUniqueOrThrow({
      where: { id: 'acme' },
      include: { clients: true, trustedIssuers: true, rules: true, signingKeys: true },
    });
    expect(tenant).toMatchObject({ id: 'acme', source: 'console', accessTokenTtlSeconds: 300 });
    expect(tenant.createdAt).toBeInstanceOf(Date);
    expect(tenant.clients).toMatchObject([{ clientId: 'gateway', allowTokenExchange: true }]);
    expect(tenant.trustedIssuers).toMatchObject([{ issuer: 'https://idp.example' }]);
    expect(tenant.rules).toMatchObject([{ ruleId: 'r1', position: 0 }]);
    expect(tenant.signingKeys).toMatchObject([{ id: 'kid-1', activatedAt: at, retiredAt: null }]);
    expect(await prisma.auditEvent.findMany()).toMatchObject([
      { decision: 'denied', createdAt: at },
    ]);
    expect(await prisma.usedJti.findMany()).toEqual([
      { tenantId: 'acme', issuer: 'gateway', jti: 'j1', expiresAt: at },
    ]);
    expect(await prisma.configVersion.findMany()).toEqual([{ id: 1, version: 1 }]);

    // Deleting a tenant deletes what belongs to it (foreign keys are on in Prisma's connection).
    await prisma.tenant.delete({ where: { id: 'acme' } });
    expect(await prisma.client.count()).toBe(0);
    expect(await prisma.signingKey.count()).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(1);
  });
});
