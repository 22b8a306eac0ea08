/**
 * A running STS reloads only the tenants a change touched (decision 0022): the console's changes,
 * made through the repositories on a second connection, reach the STS at its next poll; the
 * registry counts each tenant's loads, so what was reloaded is observed exactly. A deleted tenant
 * is removed; a change to every tenant (a NULL entry in the change log) reloads them all.
 * `settled()` waits until the STS has applied every change made so far (those of the previous
 * test, and its own start's), so that each test counts only the reloads its own change causes.
 */
import { randomUUID } from 'node:crypto';
import { type Database, databaseLocation, openDatabase } from '@sts/db';
import { execSql } from '@sts/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { get } from './helpers/http';
import { startTestSts, type TestSts } from './helpers/sts';

const POLL_MS = 100;
const DEADLINE_MS = 10_000;
const TENANTS = ['acme', 'globex', 'initech'];
const tenant = (id: string) => ({
  id,
  displayName: id,
  clients: [],
  trustedIssuers: [],
  rules: [],
});
const ADMIN = { actor: { id: null, email: 'test@example.test' } };

let sts: TestSts;
let writer: Database;

beforeAll(async () => {
  sts = await startTestSts(
    { tenants: TENANTS.map(tenant) },
    { STS_CONFIG_POLL_MS: String(POLL_MS) },
    { keyLifecycleTimer: false },
  );
  writer = await openDatabase(databaseLocation({ databaseUrl: sts.databaseUrl }, sts.dir));
});

afterAll(async () => {
  await writer?.close();
  await sts?.stop();
});

const loads = (id: string) => sts.app.registry.loadCount(id);
const counts = () => Object.fromEntries(TENANTS.map((id) => [id, loads(id)]));
const until = (check: () => void) =>
  vi.waitFor(check, { timeout: DEADLINE_MS, interval: POLL_MS / 4 });

/** Waits until every change made so far is in force: then no reload is pending. */
async function settled(): Promise<void> {
  const version = await writer.config.version();
  await until(() => expect(sts.appliedConfigVersion()).toBeGreaterThanOrEqual(version));
}

describe('reloading what changed', () => {
  it('a change to one tenant reloads that tenant only, within the poll interval', async () => {
    await settled();
    const before = counts();
    const displayName = randomUUID();
    const changedAt = Date.now();
    await writer.tenants.update(
      'globex',
      { displayName, accessTokenTtlSeconds: 300, signingAlg: 'ES256' },
      { ...ADMIN, action: 'tenant.update', tenantId: 'globex' },
    );
    await until(() => expect(sts.app.registry.get('globex')?.tenant.displayName).toBe(displayName));
    // One poll, plus the reload itself; generous for a busy machine, far below a full reload's.
    expect(Date.now() - changedAt).toBeLessThan(POLL_MS * 20);
    await settled();
    expect(counts()).toEqual({ ...before, globex: (before.globex ?? 0) + 1 });
  });

  it('a tenant created in the console is loaded, and removed once deleted', async () => {
    const id = `temp-${randomUUID().slice(0, 8)}`;
    await writer.tenants.create(
      { id, displayName: id, accessTokenTtlSeconds: 300, signingAlg: 'ES256' },
      { ...ADMIN, action: 'tenant.create', tenantId: id },
    );
    await until(() => expect(sts.app.registry.get(id)).toBeDefined());
    expect((await get(`${sts.issuer(id)}/jwks.json`)).status).toBe(200);

    await writer.tenants.delete(id, { ...ADMIN, action: 'tenant.delete', tenantId: id });
    await until(() => expect(sts.app.registry.get(id)).toBeUndefined());
    expect((await get(`${sts.issuer(id)}/jwks.json`)).status).toBe(404);
    expect(sts.app.registry.get('acme')).toBeDefined();
  });

  it('a change to every tenant (a NULL entry) reloads them all', async () => {
    await settled();
    const before = counts();
    await execSql(
      sts.databaseUrl,
      `UPDATE "config_version" SET "version" = "version" + 1 WHERE "id" = 1;
       INSERT INTO "config_changes" ("version", "tenant_id") SELECT "version", NULL FROM "config_version" WHERE "id" = 1;`,
    );
    await until(() => {
      for (const id of TENANTS) expect(loads(id), id).toBeGreaterThan(before[id] ?? 0);
    });
  });
});
