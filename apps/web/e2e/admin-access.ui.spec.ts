import type { APIRequestContext, Page } from '@playwright/test';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { removeAdmins, seedAdmin, seedTenant } from './fixtures/seed';

/**
 * Role and status are read from the database on every request (createContext and next-auth's
 * session callback), not from the session cookie: an owner demotes or disables another admin
 * who is signed in, in their own browser, and that admin's very next request reflects it.
 */

const row = (page: Page, email: string) => page.getByTestId('admin-row').filter({ hasText: email });

async function openRowAction(page: Page, email: string, action: string) {
  await page.getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

test.describe('access changes apply at the next request', () => {
  const emails: string[] = [];
  let tenantId: string | undefined;
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await removeAdmins(request, emails);
    if (tenantId)
      await trpc(request, 'tenant.delete', { tenantId, confirmTenantId: tenantId }).catch(
        () => undefined,
      );
  });

  test('a tenant admin demoted to viewer loses writing; disabled, they are signed out', async ({
    signedInPage: owner,
    browser,
  }) => {
    tenantId = await seedTenant(owner.request, 'access');
    const email = `${uniqueId('demoted')}@e2e.test`;
    emails.push(email);
    const password = await seedAdmin(owner.request, email, 'tenant_admin', [tenantId]);

    const context = await browser.newContext({ baseURL: E2E.consoleUrl });
    try {
      const admin = await context.newPage();
      await signInViaApi(admin.request, email, password);
      await admin.goto(`/tenants/${tenantId}/clients`);
      await expect(admin.getByRole('button', { name: 'New client' })).toBeVisible();

      // The owner demotes them in the UI.
      await owner.goto('/admins');
      await openRowAction(owner, email, 'Edit role and tenants');
      const edit = owner.getByRole('dialog', { name: `Edit ${email}` });
      await edit.getByLabel('Role').selectOption('viewer');
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(edit).toBeHidden();
      await expect(row(owner, email)).toContainText('Viewer');

      // Their next request: read-only, and the API refuses a change.
      await admin.reload();
      await expect(
        admin.getByText('Read-only: your role cannot change this tenant.'),
      ).toBeVisible();
      await expect(admin.getByRole('button', { name: 'New client' })).toHaveCount(0);
      // From the page itself, as the console's own calls go.
      const refused = await admin.evaluate(async (tenant) => {
        const res = await fetch('/api/trpc/client.create', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            json: {
              tenantId: tenant,
              clientId: 'after-demotion',
              authMethod: 'client_secret_basic',
              allowTokenExchange: true,
            },
          }),
        });
        return res.status;
      }, tenantId);
      expect(refused).toBe(403);

      // Disabled: their next request is signed out, and they cannot sign in again.
      await openRowAction(owner, email, 'Disable');
      await expect(row(owner, email).getByTestId('admin-status')).toHaveText('disabled');
      await admin.reload();
      await expect(admin).toHaveURL(/\/sign-in/);
      expect((await admin.request.get('/api/trpc/tenant.list')).status()).toBe(401);
      const session = (await (await admin.request.get('/api/auth/session')).json()) as {
        adminId?: string;
        user?: unknown;
      };
      expect(session.adminId).toBeUndefined();
      expect(session.user).toBeUndefined();
      await admin.getByLabel('E-mail').fill(email);
      await admin.getByLabel('Password').fill(password);
      await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(admin.getByText('Wrong e-mail or password')).toBeVisible();

      // Enabled again, they sign in.
      await openRowAction(owner, email, 'Enable');
      await expect(row(owner, email).getByTestId('admin-status')).toHaveText('active');
      await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(admin).toHaveURL(/\/tenants$/);
      await expect(admin.getByTestId('signed-in-as')).toHaveText(email);
    } finally {
      await context.close();
    }
  });

  test('an owner demoted by another owner loses the Admins page at their next request', async ({
    signedInPage: owner,
    browser,
  }) => {
    const email = `${uniqueId('ex-owner')}@e2e.test`;
    emails.push(email);
    const password = await seedAdmin(owner.request, email, 'owner', []);

    const context = await browser.newContext({ baseURL: E2E.consoleUrl });
    try {
      const other = await context.newPage();
      await signInViaApi(other.request, email, password);
      await other.goto('/admins');
      await expect(other.getByRole('heading', { name: 'Admins', level: 1 })).toBeVisible();

      await owner.goto('/admins');
      await openRowAction(owner, email, 'Edit role and tenants');
      const edit = owner.getByRole('dialog', { name: `Edit ${email}` });
      await edit.getByLabel('Role').selectOption('viewer');
      await edit.getByLabel('Demo tenant').check();
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(edit).toBeHidden();

      const page = await other.reload();
      expect(page?.status()).toBe(404);
      expect((await other.request.get('/api/trpc/admin.list')).status()).toBe(403);
      await other.goto('/tenants');
      const nav = other.getByRole('navigation', { name: 'Console' });
      await expect(nav.getByRole('link', { name: 'Admins', exact: true })).toHaveCount(0);
      await expect(other.getByRole('link', { name: 'Demo tenant' })).toBeVisible();
    } finally {
      await context.close();
    }
  });
});
