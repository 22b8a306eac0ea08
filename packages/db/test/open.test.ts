import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PrismaClient } from '../generated/prisma/client';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgresql/client';
import { databaseLocation } from '../src/location';
import { openDatabase } from '../src/open';
import { testDialect, useTempDatabase, useTempDir } from './temp-database';

describe.skipIf(testDialect !== 'sqlite')('openDatabase (a SQLite file)', () => {
  const tmp = useTempDir();

  it('creates the parent directory and a migrated database in WAL mode', async () => {
    const path = join(tmp.path, 'nested', 'dir', 'sts.db');
    const db = await openDatabase(path);
    expect(db.dialect).toBe('sqlite');
    expect(existsSync(path)).toBe(true);
    expect(await db.ping()).toBe(true);
    const raw = new BetterSqlite3(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = raw.prepare('SELECT name FROM _sts_migrations ORDER BY name').pluck().all();
    expect(applied[0]).toBe('0001_init');
    expect(applied).toEqual(shipped('sqlite'));
    raw.close();
    await db.close();
    expect(await db.ping()).toBe(false);
  });

  it('opens a file: location as its path', async () => {
    const location = databaseLocation({ databaseUrl: 'file:./data/sts.db' }, tmp.path);
    const db = await openDatabase(location);
    await db.close();
    expect(existsSync(join(tmp.path, 'data', 'sts.db'))).toBe(true);
  });
});

/** The migrations shipped for a dialect, by name. */
const shipped = (dialect: 'sqlite' | 'postgresql') =>
  readdirSync(join(import.meta.dirname, '../migrations', dialect))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();

describe(`openDatabase (${testDialect})`, () => {
  const t = useTempDatabase();

  it('opens a migrated database of the dialect that answers ping, and not once closed', async () => {
    const db = await t.open();
    expect(db.dialect).toBe(testDialect);
    expect(await db.ping()).toBe(true);
    const applied = await t.query<{ name: string }>(
      'SELECT name FROM _sts_migrations ORDER BY name',
    );
    expect(applied.map((m) => m.name)).toEqual(shipped(testDialect));
    await db.close();
    expect(await db.ping()).toBe(false);
  });

  it('opens an existing database again with what it held', async () => {
    const first = await t.open();
    await first.config.applyFile(
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

    const again = await t.open();
    expect((await again.tenants.get('acme')).displayName).toBe('Acme');
    expect(await again.config.version()).toBe(1);
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
    const path = (databaseUrl: string, base: string) => {
      const location = databaseLocation({ databaseUrl }, base);
      return location.dialect === 'sqlite' ? location.path : undefined;
    };
    expect(path(pathToFileURL('/var/lib/sts/sts.db').href, '/srv')).toBe('/var/lib/sts/sts.db');
    expect(path('data/sts.db', '/srv')).toBe('/srv/data/sts.db');
  });

  it('takes the data directory when given, relative to the base directory', () => {
    expect(
      databaseLocation({ databaseUrl: 'file:/db/sts.db', dataDir: 'secrets' }, '/srv').dataDir,
    ).toBe('/srv/secrets');
  });

  it('takes postgresql:// and postgres:// URLs as given, with the data directory only when set', () => {
    const url = 'postgresql://sts:hunter2@db.internal:5432/sts?sslmode=require';
    expect(databaseLocation({ databaseUrl: url }, '/srv')).toEqual({
      dialect: 'postgresql',
      url,
      dataDir: undefined,
    });
    expect(
      databaseLocation({ databaseUrl: 'postgres://db.internal/sts', dataDir: 'keys' }, '/srv'),
    ).toEqual({ dialect: 'postgresql', url: 'postgres://db.internal/sts', dataDir: '/srv/keys' });
    // A Unix socket, as libpq takes it: the host in the query.
    expect(
      databaseLocation({ databaseUrl: 'postgresql:///sts?host=/var/run/postgresql' }, '/srv'),
    ).toMatchObject({ dialect: 'postgresql' });
  });

  it('refuses malformed PostgreSQL URLs, saying what to give, never the password', () => {
    const refuse = (databaseUrl: string) => () => databaseLocation({ databaseUrl }, '/srv');
    const expected = 'give postgresql://user:password@host:5432/database';
    expect(refuse('postgresql://')).toThrow(TypeError);
    expect(refuse('postgresql://')).toThrow(/names no host/);
    expect(refuse('postgresql://')).toThrow(expected);
    expect(refuse('postgres://host')).toThrow(/"postgres:\/\/host" names no database/);
    expect(refuse('postgresql://host/')).toThrow(/names no database/);
    expect(refuse('postgresql://sts:hunter2@db.internal:5432/')).toThrow(
      'STS_DATABASE_URL "postgresql://sts:***@db.internal:5432/" names no database',
    );
    expect(refuse('postgresql://sts:hunter2@db.internal:5432/')).not.toThrow(/hunter2/);
    expect(refuse('postgresql://sts:hunter2@db.internal:99999/sts')).toThrow(/is not a valid URL/);
    expect(refuse('postgresql://sts:hunter2@db.internal:99999/sts')).not.toThrow(/hunter2/);
  });

  it('refuses other schemes and in-memory databases, naming what is supported, never the password', () => {
    const refuse = (databaseUrl: string) => () => databaseLocation({ databaseUrl }, '/srv');
    const supported =
      /give a PostgreSQL server as "postgresql:\/\/user:password@host:5432\/database", or a SQLite file/;
    expect(refuse('mysql://sts:hunter2@localhost/sts')).toThrow(TypeError);
    expect(refuse('mysql://sts:hunter2@localhost/sts')).toThrow(
      'Unsupported STS_DATABASE_URL "mysql://sts:***@localhost/sts"',
    );
    expect(refuse('mysql://sts:hunter2@localhost/sts')).toThrow(supported);
    expect(refuse('mysql://sts:hunter2@localhost/sts')).not.toThrow(/hunter2/);
    expect(refuse(':memory:')).toThrow(TypeError);
    expect(refuse(':memory:')).toThrow(/in-memory databases are not supported/);
    expect(refuse('file::memory:')).toThrow(/in-memory databases are not supported/);
    expect(refuse('file:')).toThrow(TypeError);
    expect(refuse('sqlserver://localhost/sts')).toThrow(supported);
  });
});

describe('the generated Prisma client on a migrated database', () => {
  const temp = useTempDatabase();
  let prisma: PrismaClient | undefined;
  afterEach(async () => {
    await prisma?.$disconnect();
    prisma = undefined;
  });

  it(`creates and reads every model (${testDialect})`, async () => {
    const location = temp.location;
    prisma =
      location.dialect === 'sqlite'
        ? new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: location.path }) })
        : // The same model API on PostgreSQL (the schemas differ only in their datasource).
          (new PostgresPrismaClient({
            adapter: new PrismaPg({ connectionString: location.url }),
          }) as unknown as PrismaClient);
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
