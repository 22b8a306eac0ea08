/**
 * The change log (decision 0022): every change to what the STS serves bumps the version and logs
 * the tenant it touched, through every write path; `changes(since, version)` answers the tenants
 * in between, or 'everything' for a change to all tenants or a pruned stretch.
 */
import { ConfigFileSchema } from '@sts/core';
import { describe, expect, it } from 'vitest';
import { KEPT_VERSIONS } from '../src/internal/config-changes';
import { addTenant, change, makeKey } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

/** Runs `write`, then answers what it logged. */
async function logged(write: () => Promise<unknown>) {
  const before = await t.db.config.version();
  await write();
  const after = await t.db.config.version();
  return { bumps: after - before, changes: await t.db.config.changes(before, after) };
}

const fileTenant = (id: string, rules: unknown[] = []) => ({
  id,
  displayName: id,
  clients: [],
  trustedIssuers: [],
  rules,
});

describe('the configuration change log', () => {
  it('logs the tenant of each console change, and nothing else', async () => {
    await addTenant(t.db, 'acme');
    await addTenant(t.db, 'globex');
    const acme = (action: string) => change(action, { tenantId: 'acme' });
    const [issuer] =
      ConfigFileSchema.parse({
        tenants: [
          {
            ...fileTenant('acme'),
            trustedIssuers: [
              {
                issuer: 'https://idp.example.test',
                jwksUri: 'https://idp.example.test/jwks',
                audiences: ['a'],
                algorithms: ['ES256'],
              },
            ],
          },
        ],
      }).tenants[0]?.trustedIssuers ?? [];
    const client = {
      clientId: 'gateway',
      allowTokenExchange: true,
      credentials: { authMethod: 'client_secret_basic' as const, secretHash: 'h' },
    };
    const writes: [string, () => Promise<unknown>][] = [
      [
        'tenant.update',
        () =>
          t.db.tenants.update(
            'acme',
            { displayName: 'A', accessTokenTtlSeconds: 60, signingAlg: 'ES256' },
            acme('tenant.update'),
          ),
      ],
      ['client.create', () => t.db.clients.create('acme', client, acme('client.create'))],
      [
        'client.disable',
        () => t.db.clients.setDisabled('acme', 'gateway', true, acme('client.disable')),
      ],
      [
        'issuer.create',
        () => t.db.trustedIssuers.create('acme', issuer as never, acme('issuer.create')),
      ],
      [
        'rule.create',
        () =>
          t.db.rules.create(
            'acme',
            {
              id: 'r',
              clients: ['gateway'],
              subjectIssuers: [issuer?.issuer],
              mode: 'impersonation',
              audiences: ['a'],
            } as never,
            acme('rule.create'),
          ),
      ],
      ['rule.delete', () => t.db.rules.delete('acme', 'r', acme('rule.delete'))],
      ['client.delete', () => t.db.clients.delete('acme', 'gateway', acme('client.delete'))],
      ['key.ensure', () => t.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'))],
      [
        'key.rotate',
        () =>
          t.db.signingKeys.rotate('acme', makeKey('acme'), { prepublishMs: 0 }, () =>
            acme('key.rotate'),
          ),
      ],
      ['tenant.delete', () => t.db.tenants.delete('acme', acme('tenant.delete'))],
    ];
    for (const [name, write] of writes)
      expect(await logged(write), name).toEqual({ bumps: 1, changes: { tenantIds: ['acme'] } });
  });

  it('logs the key lifecycle per tenant', async () => {
    await addTenant(t.db, 'acme');
    await t.db.signingKeys.ensureActive('acme', 'ES256', makeKey('acme'));
    await t.db.signingKeys.rotate('acme', makeKey('acme'), { prepublishMs: 1000 });
    t.now += 1000;
    const options = { now: t.now, clockSkewSeconds: 0 };
    expect(await t.db.signingKeys.dueLifecycle(options)).toEqual(['acme']);
    expect(await logged(() => t.db.signingKeys.advanceLifecycle('acme', options))).toEqual({
      bumps: 1,
      changes: { tenantIds: ['acme'] },
    });
    expect(await t.db.signingKeys.dueLifecycle(options)).toEqual([]);
  });

  it('logs the tenants a config file changed, one version each (each is an admin action)', async () => {
    const file = (rules: unknown[]) =>
      ConfigFileSchema.parse({ tenants: [fileTenant('acme'), fileTenant('globex', rules)] });
    const apply = (rules: unknown[]) => t.db.config.applyFile(file(rules), () => 'hash');
    expect(await logged(() => apply([]))).toEqual({
      bumps: 2,
      changes: { tenantIds: ['acme', 'globex'] },
    });
    const rule = {
      id: 'r',
      clients: ['c'],
      subjectIssuers: ['https://i'],
      mode: 'impersonation',
      audiences: ['a'],
    };
    expect(await logged(() => apply([rule]))).toEqual({
      bumps: 1,
      changes: { tenantIds: ['globex'] },
    });
    expect(await logged(() => apply([rule]))).toEqual({ bumps: 0, changes: { tenantIds: [] } });
  });

  it('does not make the STS reload for admin accounts', async () => {
    expect(
      await logged(() =>
        t.db.admins.create(
          { email: 'a@example.test', passwordHash: 'x', role: 'owner' },
          change('admin.create'),
        ),
      ),
    ).toEqual({ bumps: 0, changes: { tenantIds: [] } });
  });

  it('answers everything for a version bumped without a log entry, or a NULL entry', async () => {
    await addTenant(t.db, 'acme');
    const version = await t.db.config.version();
    await t.exec('UPDATE "config_version" SET "version" = "version" + 1');
    expect(await t.db.config.changes(version, version + 1)).toBe('everything');
    await t.exec(
      'UPDATE "config_version" SET "version" = "version" + 1; INSERT INTO "config_changes" ("version", "tenant_id") VALUES ((SELECT "version" FROM "config_version"), NULL)',
    );
    expect(await t.db.config.changes(version + 1, version + 2)).toBe('everything');
  });

  it('is pruned to the last KEPT_VERSIONS versions; older stretches answer everything', async () => {
    await addTenant(t.db, 'acme');
    const update = (i: number) =>
      t.db.tenants.update(
        'acme',
        { displayName: `Acme ${i}`, accessTokenTtlSeconds: 60, signingAlg: 'ES256' },
        change('tenant.update', { tenantId: 'acme' }),
      );
    await update(1);
    const first = await t.db.config.version();
    // As if KEPT_VERSIONS - 1 changes had been made (unlogged) since.
    await t.exec(`UPDATE "config_version" SET "version" = "version" + ${KEPT_VERSIONS - 1}`);
    await update(2);
    const last = await t.db.config.version();
    expect(last).toBe(first + KEPT_VERSIONS);
    // The entry of `first` is gone: only the last one is left.
    expect(Number(await t.value('SELECT COUNT(*) FROM "config_changes"'))).toBe(1);
    expect(await t.db.config.changes(first - 1, last)).toBe('everything');
    expect(await t.db.config.changes(last - 1, last)).toEqual({ tenantIds: ['acme'] });
  });
});
