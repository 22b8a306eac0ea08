import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PrismaClient } from '../generated/prisma/client';
import { databaseLocation } from '../src/location';
import { openDatabase } from '../src/open';
import { useTempDatabase, useTempDir } from './temp-database';

describe('openDatabase', () => {
  const tmp = useTempDir();

  it('creates the parent directory and a migrated database in WAL mode', async () => {
    const path = join(tmp.path, 'nested', 'dir', 'sts.db');
    const db = await openDatabase(path);
    expect(existsSync(path)).toBe(true);
    expect(db.ping()).toBe(true);
    const raw = new BetterSqlite3(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = raw.prepare('SELECT name FROM _sts_migrations ORDER BY name').pluck().all();
    expect(applied[0]).toBe('0001_init');
    expect(applied).toEqual(
      readdirSync(join(import.meta.dirname, '../migrations/sqlite'))
        .filter((f) => f.endsWith('.sql'))
        .map((f) => f.slice(0, -'.sql'.length))
        .sort(),
    );
    raw.close();
    await db.close();
    expect(db.ping()).toBe(false);
  });

  it('opens an existing database again with what it held', async () => {
    const path = join(tmp.path, 'sts.db');
    const first = await openDatabase(path);
    first.config.applyFile(
      {
        tenants: [
          {
            id: 'acme',
            displayName: 'Acme',
            accessTokenTtlSeconds: 300,
            signingAlg: 'ES256',
            clients: [],
            trustedIssuers: [],
            rules: [],
          },
        ],
      },
      () => 'unused',
    );
    await first.close();

    const again = await openDatabase(path);
    expect((await again.tenants.get('acme')).displayName).toBe('Acme');
    expect(again.config.version()).toBe(1);
    await again.close();
  });
});

describe('databaseLocation', () => {
  it('resolves file: URLs, file:// URLs and paths, relative to the base directory', () => {
    expect(databaseLocation({ databaseUrl: 'file:./.data/sts.db' }, '/srv/app')).toEqual({
      dialect: 'sqlite',
      path: '/srv/app/.data/sts.db',
      dataDir: '/srv/app/.data',
    });
    expect(
      databaseLocation({ databaseUrl: pathToFileURL('/var/lib/sts/sts.db').href }, '/srv').path,
    ).toBe('/var/lib/sts/sts.db');
    expect(databaseLocation({ databaseUrl: 'data/sts.db' }, '/srv').path).toBe('/srv/data/sts.db');
  });

  it('takes the data directory when given, relative to the base directory', () => {
    expect(
      databaseLocation({ databaseUrl: 'file:/db/sts.db', dataDir: 'secrets' }, '/srv').dataDir,
    ).toBe('/srv/secrets');
  });

  it('refuses what is not a SQLite file, naming what is supported, never the password', () => {
    const refuse = (databaseUrl: string) => () => databaseLocation({ databaseUrl }, '/srv');
    expect(refuse('postgresql://sts:hunter2@db.internal:5432/sts')).toThrow(TypeError);
    expect(refuse('postgresql://sts:hunter2@db.internal:5432/sts')).toThrow(
      'Unsupported STS_DATABASE_URL "postgresql://sts:***@db.internal:5432/sts"',
    );
    expect(refuse('postgresql://sts:hunter2@db.internal:5432/sts')).not.toThrow(/hunter2/);
    expect(refuse(':memory:')).toThrow(/in-memory and server databases/);
    expect(refuse('file:')).toThrow(TypeError);
    expect(refuse('mysql://localhost/sts')).toThrow(TypeError);
  });
});

describe('the generated Prisma client on a migrated database', () => {
  const temp = useTempDatabase();
  let prisma: PrismaClient | undefined;
  afterEach(() => prisma?.$disconnect());

  it('creates and reads every model', async () => {
    prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: temp.path }) });
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
