import type { APIRequestContext, Page } from '@playwright/test';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { removeAdmins } from './fixtures/seed';

/**
 * Admin users, owner only: an owner invites a viewer of one tenant with a one-time link; the
 * invitee, in a browser of their own, sets a password, signs in and sees only that tenant; the
 * owner changes the role and removes the admin, and the invitee's next request reflects each.
 * Data the UI is not about is seeded over tRPC.
 */

interface ListedAdmin {
  id: string;
  email: string;
}

const row = (page: Page, email: string) => page.getByTestId('admin-row').filter({ hasText: email });

async function openRowAction(page: Page, email: string, action: string) {
  await page.getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** Removes the test's admins and tenant as the e2e owner, whatever happened. */
async function cleanUp(request: APIRequestContext, emails: string[], tenantId?: string) {
  await signInViaApi(request);
  await removeAdmins(request, emails);
  if (tenantId)
    await trpc(request, 'tenant.delete', { tenantId, confirmTenantId: tenantId }).catch(
      () => undefined,
    );
}

test.describe('admins', () => {
  let emails: string[] = [];
  let tenantId: string | undefined;
  test.beforeEach(() => {
    emails = [];
    tenantId = undefined;
  });
  test.afterEach(async ({ request }) => {
    await cleanUp(request, emails, tenantId);
  });

  test('an owner invites a viewer with a link; the invitee joins; role change and removal apply at their next request', async ({
    signedInPage: page,
    browser,
  }) => {
    tenantId = uniqueId('adm');
    const tenantName = `Admins ${tenantId}`;
    const email = `${uniqueId('invitee')}@e2e.test`;
    emails.push(email);
    const password = 'invitee password 123';
    await trpc(page.request, 'tenant.create', {
      id: tenantId,
      displayName: tenantName,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });

    // 1. The owner invites a viewer of the new tenant, from the Admins page.
    await page.goto('/tenants');
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Admins' })
      .click();
    await expect(page).toHaveURL(/\/admins$/);
    await page.getByRole('button', { name: 'Invite admin' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite an admin' });
    await invite.getByLabel('E-mail').fill(email);
    await invite.getByLabel('Role').selectOption('viewer');
    await invite.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect(invite.getByText('Choose at least one tenant')).toBeVisible();
    await invite.getByLabel(tenantName).check();
    await expect(invite.getByLabel('A one-time link to set their own password')).toBeChecked();
    await invite.getByRole('button', { name: 'Invite', exact: true }).click();
    const handOver = page.getByRole('dialog', { name: `Invitation link for ${email}` });
    const link = ((await handOver.getByTestId('invitation-link').textContent()) ?? '').trim();
    expect(link).toMatch(new RegExp(`^${E2E.consoleUrl}/invite/[\\w-]{43}$`));
    await handOver.getByRole('button', { name: 'I have copied it' }).click();
    await expect(handOver).toBeHidden();
    expect(await page.content()).not.toContain(link);
    await expect(row(page, email).getByTestId('admin-status')).toHaveText('invited');
    await expect(row(page, email)).toContainText(tenantId);

    // 2. The invitee, in a fresh browser, sets a password and signs in.
    const inviteeContext = await browser.newContext({ baseURL: E2E.consoleUrl });
    try {
      const invitee = await inviteeContext.newPage();
      await invitee.goto(link);
      await expect(invitee.getByText(`Choose a password for ${email}`)).toBeVisible();
      await invitee.getByLabel('Password', { exact: true }).fill(password);
      await invitee.getByLabel('Confirm password').fill(`${password}!`);
      await invitee.getByRole('button', { name: 'Set password' }).click();
      await expect(invitee.getByText('The two passwords differ')).toBeVisible();
      await invitee.getByLabel('Confirm password').fill(password);
      await invitee.getByRole('button', { name: 'Set password' }).click();
      await expect(invitee.getByText('Your password is set')).toBeVisible();
      await invitee.getByRole('link', { name: 'Go to sign-in' }).click();
      await expect(invitee.getByLabel('E-mail')).toHaveValue(email);
      await invitee.getByLabel('Password').fill(password);
      await invitee.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(invitee).toHaveURL(/\/tenants$/);
      await expect(invitee.getByRole('link', { name: tenantName })).toBeVisible();
      await expect(invitee.getByRole('link', { name: 'Demo tenant' })).toHaveCount(0);
      // Not an owner: no Admins link, the page does not exist, the API refuses.
      const nav = invitee.getByRole('navigation', { name: 'Console' });
      await expect(nav.getByRole('link', { name: 'Token Exchange STS' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Admins', exact: true })).toHaveCount(0);
      const notFound = await invitee.goto('/admins');
      expect(notFound?.status()).toBe(404);
      expect((await invitee.request.get('/api/trpc/admin.list')).status()).toBe(403);
      // The link worked once.
      await invitee.goto(link);
      await expect(invitee.getByText('This invitation link cannot be used')).toBeVisible();
      await expect(invitee.getByLabel('Password', { exact: true })).toHaveCount(0);

      // 3. A viewer reads; made a tenant admin, their next request may change the tenant.
      await invitee.goto(`/tenants/${tenantId}/clients`);
      await expect(
        invitee.getByText('Read-only: your role cannot change this tenant.'),
      ).toBeVisible();
      await expect(invitee.getByRole('button', { name: 'New client' })).toHaveCount(0);
      await page.reload();
      await expect(row(page, email).getByTestId('admin-status')).toHaveText('active');
      await openRowAction(page, email, 'Edit role and tenants');
      const edit = page.getByRole('dialog', { name: `Edit ${email}` });
      await edit.getByLabel('Role').selectOption('tenant_admin');
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(edit).toBeHidden();
      await expect(row(page, email)).toContainText('Tenant admin');
      await invitee.reload();
      await expect(invitee.getByRole('button', { name: 'New client' })).toBeVisible();

      // 4. Removed: the invitee's next request is signed out.
      await openRowAction(page, email, 'Remove');
      const confirm = page.getByRole('dialog', { name: `Remove ${email}?` });
      await confirm.getByRole('button', { name: 'Remove admin' }).click();
      await expect(confirm).toBeHidden();
      await expect(row(page, email)).toHaveCount(0);
      await invitee.reload();
      await expect(invitee).toHaveURL(/\/sign-in/);
      expect((await invitee.request.get('/api/trpc/tenant.list')).status()).toBe(401);
    } finally {
      await inviteeContext.close();
    }

    // 5. Each change is in the Admin activity, by who made it.
    const activity = page.getByTestId('console-action').filter({ hasText: email });
    await expect(activity).toHaveCount(4);
    await expect(activity.nth(0)).toContainText('admin.remove');
    await expect(activity.nth(1)).toContainText('admin.update');
    await expect(activity.nth(2)).toContainText('admin.accept_invitation');
    await expect(activity.nth(3)).toContainText('admin.invite');
    await expect(activity.nth(3)).toContainText(E2E.adminEmail);
  });

  test('the Admins page fits a 390 px wide phone: no sideways scroll, actions in a menu', async ({
    signedInPage: page,
  }) => {
    const email = `${uniqueId('a-rather-long-name-for-an-invited-admin')}@subdomain.e2e.test`;
    emails.push(email);
    await trpc(page.request, 'admin.invite', {
      email,
      name: 'Someone With A Rather Long Display Name',
      role: 'viewer',
      tenantIds: ['demo'],
      delivery: 'link',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/admins');
    await expect(row(page, email)).toBeVisible();
    await expect(page.getByTestId('console-action').first()).toBeVisible();
    const widths = async () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        tables: [...document.querySelectorAll('table')].map(
          (t) => (t.parentElement?.scrollWidth ?? 0) - (t.parentElement?.clientWidth ?? 0),
        ),
      }));
    expect(await widths()).toEqual({ page: expect.any(Number), tables: [0] });
    expect((await widths()).page).toBeLessThanOrEqual(390);

    await page.getByRole('button', { name: `Actions for ${email}` }).click();
    const item = page.getByRole('menuitem', { name: 'New invitation link' });
    await expect(item).toBeInViewport();
    await item.click();
    await page
      .getByRole('dialog', { name: `New invitation link for ${email}?` })
      .getByRole('button', { name: 'Make a new link' })
      .click();
    const handOver = page.getByRole('dialog', { name: `Invitation link for ${email}` });
    await expect(handOver.getByTestId('invitation-link')).toBeInViewport();
    await handOver.getByRole('button', { name: 'I have copied it' }).click();
    expect((await widths()).page).toBeLessThanOrEqual(390);
  });
});
