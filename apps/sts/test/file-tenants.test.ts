/**
 * Tenants declared in the config file (decision 0023), through real STS starts on one database:
 * each start applies the file and records what it changed in the admin log (actor
 * "configuration file"); a file-managed tenant that left the file is deleted, or kept and flagged
 * with STS_REMOVED_FILE_TENANTS=keep; a tenant detached in the console is not applied again (the
 * start warns).
 */
import { randomBytes } from 'node:crypto';
import type { AdminActionEntry } from '@sts/db';
import { afterEach, describe, expect, it } from 'vitest';
import { get } from './helpers/http';
import { type CapturedLog, captureLog } from './helpers/log';
import { startTestSts, type TestSts } from './helpers/sts';

const MASTER_KEY = randomBytes(32).toString('base64');

const tenant = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  displayName: `Tenant ${id}`,
  clients: [
    {
      clientId: 'portal',
      authMethod: 'client_secret_basic',
      secret: `${id}-secret-0123456789abcdef0123456789abcdef`,
    },
  ],
  ...extra,
});

const started: TestSts[] = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

/** The first start, on a fresh database. */
async function firstStart(tenants: unknown[]) {
  const sts = await startTestSts({ tenants }, { STS_MASTER_KEY: MASTER_KEY });
  started.push(sts);
  return sts;
}

/** A later start on the same database and master key, with another file (and settings). */
async function nextStart(
  first: TestSts,
  tenants: unknown[],
  env: Record<string, string> = {},
  log?: CapturedLog,
) {
  const sts = await startTestSts(
    { tenants },
    {
      STS_DATABASE_URL: first.databaseUrl,
      STS_DATA_DIR: first.dir,
      STS_MASTER_KEY: MASTER_KEY,
      ...env,
    },
    { log: log?.log },
  );
  started.push(sts);
  return sts;
}

async function actions(sts: TestSts, tenantId: string): Promise<AdminActionEntry[]> {
  return (await sts.database.adminActions.list(tenantId, { limit: 50 })).items;
}
const byFile = (list: AdminActionEntry[]) =>
  list.filter((a) => a.actorEmail === 'configuration file').map((a) => a.action);

describe('tenants declared in the config file', () => {
  it('records each tenant a start creates, updates or removes, naming what changed and no secret', async () => {
    const first = await firstStart([tenant('alpha'), tenant('beta')]);
    expect(byFile(await actions(first, 'alpha'))).toEqual(['tenant.file_create']);
    expect((await actions(first, 'alpha'))[0]).toMatchObject({
      target: 'alpha',
      details: { clients: ['portal'], settings: { displayName: 'Tenant alpha' } },
    });

    const warnings = captureLog('warn');
    const warned = () => warnings.lines().map((line) => line.msg);
    const second = await nextStart(
      first,
      [
        tenant('alpha', {
          displayName: 'Alpha',
          clients: [
            {
              clientId: 'portal',
              authMethod: 'client_secret_basic',
              secret: 'a-new-secret-0123456789abcdef0123456789abcdef',
            },
            {
              clientId: 'batch',
              authMethod: 'client_secret_post',
              secret: 'batch-0123456789abcdef0123456789abcdef0123',
            },
          ],
        }),
      ],
      {},
      warnings,
    );
    const alpha = await actions(second, 'alpha');
    expect(byFile(alpha)).toEqual(['tenant.file_update', 'tenant.file_create']);
    expect(alpha[0]?.details).toEqual({
      settings: ['display_name'],
      clients: { added: ['batch'], updated: { portal: ['secret_hash'] }, removed: [] },
    });
    expect(JSON.stringify(alpha)).not.toContain('a-new-secret');
    expect((await second.database.tenants.get('alpha')).displayName).toBe('Alpha');

    // Removed from the file: deleted, with its keys (the start says so); the admin log keeps the record.
    expect(warned()).toContainEqual(
      expect.stringMatching(/^Tenant beta is no longer in .*: deleted, with its signing keys/),
    );
    expect(warned()).not.toContainEqual(expect.stringContaining('alpha'));
    await expect(second.database.tenants.get('beta')).rejects.toThrow();
    expect(byFile(await actions(second, 'beta'))).toEqual([
      'tenant.file_remove',
      'tenant.file_create',
    ]);
    expect((await get(`${second.url}/t/beta/jwks.json`)).status).toBe(404);
    expect(await second.rows('signing_keys')).not.toContainEqual(
      expect.objectContaining({ tenant_id: 'beta' }),
    );
  });

  it('records nothing when the file did not change', async () => {
    const first = await firstStart([tenant('alpha')]);
    const second = await nextStart(first, [tenant('alpha')]);
    expect(byFile(await actions(second, 'alpha'))).toEqual(['tenant.file_create']);
  });

  it('keeps and flags a removed tenant with STS_REMOVED_FILE_TENANTS=keep; the file takes it back if it returns', async () => {
    const first = await firstStart([tenant('alpha'), tenant('beta')]);
    const warnings = captureLog('warn');
    const warned = () => warnings.lines().map((line) => line.msg);
    const second = await nextStart(
      first,
      [tenant('alpha')],
      { STS_REMOVED_FILE_TENANTS: 'keep' },
      warnings,
    );
    expect(warned()).toContainEqual(expect.stringMatching(/^Tenant beta is no longer in .*: kept/));
    const beta = await second.database.tenants.get('beta');
    expect(beta).toMatchObject({ source: 'console', removedFromFileAt: expect.any(Date) });
    expect(byFile(await actions(second, 'beta'))).toEqual([
      'tenant.file_keep',
      'tenant.file_create',
    ]);
    // Still served.
    expect((await get(`${second.url}/t/beta/jwks.json`)).status).toBe(200);
    // A later start leaves a console tenant alone…
    const third = await nextStart(first, [tenant('alpha')]);
    expect(await third.database.tenants.get('beta')).toMatchObject({ source: 'console' });
    // …and one that declares it again manages it again.
    const fourth = await nextStart(first, [tenant('alpha'), tenant('beta')]);
    expect(await fourth.database.tenants.get('beta')).toMatchObject({
      source: 'file',
      removedFromFileAt: null,
    });
    expect(byFile(await actions(fourth, 'beta'))[0]).toBe('tenant.file_update');
  });

  it('does not apply the file to a tenant detached in the console, and says so at start', async () => {
    const first = await firstStart([tenant('alpha')]);
    await first.database.tenants.detach('alpha', {
      actor: { id: null, email: 'owner@example.test' },
      action: 'tenant.detach',
      tenantId: 'alpha',
    });
    const { id: _, ...settings } = await first.database.tenants.get('alpha');
    await first.database.tenants.update(
      'alpha',
      { ...settings, displayName: 'Edited in the console' },
      {
        actor: { id: null, email: 'owner@example.test' },
        action: 'tenant.update',
        tenantId: 'alpha',
      },
    );
    const warnings = captureLog('warn');
    const warned = () => warnings.lines().map((line) => line.msg);

    const second = await nextStart(
      first,
      [tenant('alpha', { displayName: 'From the file' })],
      {},
      warnings,
    );
    expect(await second.database.tenants.get('alpha')).toMatchObject({
      source: 'console',
      displayName: 'Edited in the console',
      detachedAt: expect.any(Date),
    });
    expect(warned()).toContainEqual(
      expect.stringMatching(/tenant alpha is in .* but was detached from it in the console/),
    );
    expect(byFile(await actions(second, 'alpha'))).toEqual(['tenant.file_create']);
    // Removed from the file later: a console tenant, left alone.
    const third = await nextStart(first, []);
    expect((await third.database.tenants.get('alpha')).displayName).toBe('Edited in the console');
  });
});
