import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../src/errors';
import { addTenant } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

describe('admins', () => {
  it('stores an admin with e-mail lower-cased, role and tenants; finds by e-mail and id', async () => {
    await addTenant(t.db, 'acme');
    const created = await t.db.admins.create({
      email: ' Ada@Example.test ',
      name: 'Ada',
      passwordHash: 'scrypt$hash',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(created).toEqual({
      id: expect.any(String),
      email: 'ada@example.test',
      name: 'Ada',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(await t.db.admins.findByEmail('ADA@example.test')).toEqual({
      ...created,
      passwordHash: 'scrypt$hash',
      disabled: false,
    });
    expect(await t.db.admins.find(created.id)).toEqual(created);
    expect(await t.db.admins.findByEmail('nobody@example.test')).toBeNull();
    expect(await t.db.admins.count()).toBe(1);
  });

  it('refuses a taken e-mail address', async () => {
    await t.db.admins.create({ email: 'a@example.test', passwordHash: null, role: 'owner' });
    await expect(
      t.db.admins.create({ email: 'A@EXAMPLE.TEST', passwordHash: null, role: 'viewer' }),
    ).rejects.toThrow(ConflictError);
  });

  it('a disabled admin is not found by id (sessions end), but is by e-mail', async () => {
    const admin = await t.db.admins.create({
      email: 'b@example.test',
      passwordHash: null,
      role: 'viewer',
    });
    await t.db.admins.setDisabled(admin.id, true);
    expect(await t.db.admins.find(admin.id)).toBeNull();
    expect(await t.db.admins.findByEmail('b@example.test')).toMatchObject({ disabled: true });
    await expect(t.db.admins.setDisabled('no-such-id', true)).rejects.toThrow(NotFoundError);
  });

  it('resets the demo owner password, enabling it as an owner', async () => {
    const admin = await t.db.admins.create({
      email: 'c@example.test',
      passwordHash: 'old',
      role: 'viewer',
    });
    await t.db.admins.setDisabled(admin.id, true);
    await t.db.admins.resetOwnerPassword('C@example.test', 'new');
    expect(await t.db.admins.findByEmail('c@example.test')).toMatchObject({
      passwordHash: 'new',
      role: 'owner',
      disabled: false,
    });
  });
});
