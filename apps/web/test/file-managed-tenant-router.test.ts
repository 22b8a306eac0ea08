/**
 * Tenants the configuration file manages are read-only in the console, on the server (decision
 * 0023): every change to their settings, clients, trusted issuers or rules is refused with
 * CONFLICT and a message that says why; keys stay open; "Detach from file" (owners, tenant
 * admins) makes the tenant console-managed, recorded as tenant.detach.
 */
import { ConfigFileSchema } from '@sts/core/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

let t: RouterTestDb;
beforeAll(async () => {
  t = await routerTestDb();
});
afterAll(async () => {
  await t?.close();
});

/** A tenant as an STS start applies it from the configuration file. */
async function fileTenant(): Promise<string> {
  const id = `file-${Math.random().toString(36).slice(2, 8)}`;
  const file = ConfigFileSchema.parse({
    tenants: [
      {
        id,
        displayName: 'From the file',
        clients: [
          {
            clientId: 'portal',
            authMethod: 'private_key_jwt',
            jwksUri: 'https://keys.example.test/jwks',
          },
        ],
        rules: [
          {
            id: 'portal',
            clients: ['portal'],
            subjectIssuers: ['self'],
            mode: 'delegation',
            actors: ['client'],
            audiences: ['https://api.example.test'],
          },
        ],
      },
    ],
  });
  await t.console.db.config.applyFile(file, () => 'unused: no secret clients', {
    removedTenants: 'keep',
  });
  return id;
}

const settings = {
  displayName: 'Edited',
  accessTokenTtlSeconds: 300,
  signingAlg: 'ES256' as const,
};
const FILE_MANAGED = /managed by the configuration file/;

describe('file-managed tenants (real database)', () => {
  it('refuses changes to the settings, clients, rules and the tenant itself, with a message', async () => {
    const owner = await t.admin('owner');
    const tenantId = await fileTenant();
    const refused = { code: 'CONFLICT', message: expect.stringMatching(FILE_MANAGED) };
    await expect(t.as(owner).tenant.update({ tenantId, ...settings })).rejects.toMatchObject(
      refused,
    );
    await expect(
      t.as(owner).client.create({
        tenantId,
        clientId: 'new',
        authMethod: 'client_secret_basic',
        allowTokenExchange: true,
      }),
    ).rejects.toMatchObject(refused);
    await expect(t.as(owner).client.delete({ tenantId, clientId: 'portal' })).rejects.toMatchObject(
      refused,
    );
    await expect(t.as(owner).rule.delete({ tenantId, ruleId: 'portal' })).rejects.toMatchObject(
      refused,
    );
    await expect(
      t.as(owner).tenant.delete({ tenantId, confirmTenantId: tenantId }),
    ).rejects.toMatchObject(refused);
    const stored = await t.console.db.tenants.get(tenantId);
    expect(stored).toMatchObject({
      displayName: 'From the file',
      source: 'file',
      clients: 1,
      rules: 1,
    });
    // Keys are not in the file: rotation stays open.
    await expect(t.as(owner).key.rotate({ tenantId })).resolves.toMatchObject({
      kid: expect.any(String),
    });
  });

  it('lets a tenant admin detach it (recorded), after which it is editable; viewers may not', async () => {
    const tenantId = await fileTenant();
    const viewer = await t.admin('viewer', [tenantId]);
    const admin = await t.admin('tenant_admin', [tenantId]);
    await expect(t.as(viewer).tenant.detach({ tenantId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    await t.as(admin).tenant.detach({ tenantId });
    expect(await t.as(admin).tenant.get({ tenantId })).toMatchObject({
      source: 'console',
      detachedAt: expect.any(Date),
    });
    const [action] = (await t.console.db.adminActions.list(tenantId, { limit: 1 })).items;
    expect(action).toMatchObject({
      action: 'tenant.detach',
      actorEmail: admin.email,
      target: tenantId,
    });

    await t.as(admin).tenant.update({ tenantId, ...settings });
    expect((await t.as(admin).tenant.get({ tenantId })).displayName).toBe('Edited');
    await expect(t.as(admin).tenant.detach({ tenantId })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This tenant is not managed by the configuration file',
    });
  });
});
