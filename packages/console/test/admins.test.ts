import { describe, expect, it } from 'vitest';
import {
  bootstrapFirstAdmin,
  createAdmin,
  sessionAdmin,
  signInWithPassword,
  signInWithSso,
} from '../src/admins';
import { AppError } from '../src/errors';
import { useConsole } from './helpers';

const t = useConsole();
const PASSWORD = 'a long enough password';

describe('admins', () => {
  it('signs in by e-mail (any case) and password; refuses wrong, unknown and disabled', async () => {
    await t.tenant('acme');
    const created = await createAdmin(t.ctx, {
      email: 'Ada@Example.test',
      password: PASSWORD,
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(created).toMatchObject({
      email: 'ada@example.test',
      role: 'tenant_admin',
      tenantIds: ['acme'],
    });
    expect(await signInWithPassword(t.ctx, 'ADA@example.test', PASSWORD)).toEqual(created);
    expect(await signInWithPassword(t.ctx, 'ada@example.test', 'wrong password!!')).toBeNull();
    expect(await signInWithPassword(t.ctx, 'nobody@example.test', PASSWORD)).toBeNull();
    const stored = await t.ctx.db.admins.findByEmail('ada@example.test');
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain(PASSWORD);

    await t.ctx.db.admins.setDisabled(created.id, true, (admin) => ({
      actor: admin,
      action: 'admin.disable',
    }));
    expect(await signInWithPassword(t.ctx, 'ada@example.test', PASSWORD)).toBeNull();
    expect(await sessionAdmin(t.ctx, created.id)).toBeNull();
  });

  it('refuses short passwords with a message for people', async () => {
    const attempt = createAdmin(t.ctx, {
      email: 'b@example.test',
      password: 'short',
      role: 'owner',
    });
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toThrow('An admin password needs at least 12 characters');
  });

  it('creates single-sign-on admins only when told to, and finds them again', async () => {
    expect(await signInWithSso(t.ctx, { email: 'sso@example.test' })).toBeNull();
    const viewer = await signInWithSso(t.ctx, {
      email: 'sso@example.test',
      name: 'S',
      autoCreateRole: 'viewer',
    });
    expect(viewer).toMatchObject({ email: 'sso@example.test', role: 'viewer' });
    expect(await signInWithSso(t.ctx, { email: 'SSO@example.test' })).toEqual(viewer);
    // No password: password sign-in never works for it.
    expect(await signInWithPassword(t.ctx, 'sso@example.test', '')).toBeNull();
  });

  it('creates the first owner once; the demo resets its password at every start', async () => {
    const first = { email: 'owner@example.test', password: PASSWORD, demo: false };
    expect(await bootstrapFirstAdmin(t.ctx, first)).toBe(true);
    expect(await bootstrapFirstAdmin(t.ctx, { ...first, password: 'another password 1' })).toBe(
      false,
    );
    expect(await signInWithPassword(t.ctx, first.email, PASSWORD)).not.toBeNull();
    await bootstrapFirstAdmin(t.ctx, { ...first, password: 'another password 1', demo: true });
    expect(await signInWithPassword(t.ctx, first.email, 'another password 1')).toMatchObject({
      role: 'owner',
    });
  });
});
