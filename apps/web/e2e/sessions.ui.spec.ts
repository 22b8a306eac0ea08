import type { Browser, Page } from '@playwright/test';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { removeAdmins, seedAdmin } from './fixtures/seed';

/**
 * Ended sessions stay ended (decision 0017): a session signed in before its admin was disabled,
 * or before "Sign out everywhere", is signed out at its next request, even once the admin is
 * enabled again. Signing in again works. Each test seeds its own admins (never the demo owner,
 * whose session the other tests use) and removes them afterwards.
 */

const row = (page: Page, email: string) => page.getByTestId('admin-row').filter({ hasText: email });

async function openRowAction(page: Page, email: string, action: string) {
  await page.getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** A browser of its own, signed in as the admin, on the console's first page. */
async function signedInBrowser(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ baseURL: E2E.consoleUrl });
  const page = await context.newPage();
  await signInViaApi(page.request, email, password);
  await page.goto('/tenants');
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  return { context, page };
}

/** The page's session is signed out: pages go to the sign-in page, the API answers 401. */
async function expectSignedOut(page: Page) {
  await page.goto('/tenants');
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get('/api/trpc/tenant.list')).status()).toBe(401);
  const session = (await (await page.request.get('/api/auth/session')).json()) as {
    adminId?: string;
  };
  expect(session.adminId).toBeUndefined();
}

async function signInWithForm(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/tenants$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
}

test.describe('ended sessions', () => {
  const emails: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await removeAdmins(request, emails.splice(0));
  });

  test('a session from before a disable stays signed out once the admin is enabled again', async ({
    signedInPage: owner,
    browser,
  }) => {
    const email = `${uniqueId('re-enabled')}@e2e.test`;
    emails.push(email);
    const password = await seedAdmin(owner.request, email, 'owner', []);
    const old = await signedInBrowser(browser, email, password);
    try {
      await owner.goto('/admins');
      await openRowAction(owner, email, 'Disable');
      await expect(row(owner, email).getByTestId('admin-status')).toHaveText('disabled');
      await openRowAction(owner, email, 'Enable');
      await expect(row(owner, email).getByTestId('admin-status')).toHaveText('active');

      // The old cookie (as if stolen before the disable) no longer signs anybody in.
      await expectSignedOut(old.page);
      // The admin signs in again with their password, in the same browser.
      await signInWithForm(old.page, email, password);
      expect((await old.page.request.get('/api/trpc/tenant.list')).status()).toBe(200);
    } finally {
      await old.context.close();
    }
  });

  test('"Sign out everywhere": by the admin on their Account page, and by an owner, recorded', async ({
    signedInPage: owner,
    browser,
  }) => {
    const email = `${uniqueId('everywhere')}@e2e.test`;
    emails.push(email);
    const password = await seedAdmin(owner.request, email, 'owner', []);
    const first = await signedInBrowser(browser, email, password);
    const second = await signedInBrowser(browser, email, password);
    try {
      // The admin, on their Account page, by keyboard.
      await first.page.goto('/account');
      const button = first.page.getByRole('button', { name: 'Sign out everywhere' });
      await button.focus();
      await first.page.keyboard.press('Enter');
      const confirm = first.page.getByRole('dialog', { name: 'Sign out everywhere?' });
      await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect(first.page).toHaveURL(/\/sign-in/);
      // Their other browser too, at its next request.
      await expectSignedOut(second.page);

      // Signed in again; an owner signs them out everywhere from the Admins page.
      await signInWithForm(second.page, email, password);
      await owner.goto('/admins');
      await openRowAction(owner, email, 'Sign out everywhere');
      const dialog = owner.getByRole('dialog', { name: `Sign out ${email} everywhere?` });
      await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect(dialog).toBeHidden();
      await expectSignedOut(second.page);
      // The owner's own session is untouched, and the admin is still active.
      await expect(row(owner, email).getByTestId('admin-status')).toHaveText('active');
      await signInWithForm(second.page, email, password);

      const actions = await trpc<{
        items: { action: string; actorEmail: string | null; target: string | null }[];
      }>(owner.request, 'admin.actions', { pageSize: 50 }, 'query');
      const ended = actions.items.filter(
        (a) => a.action === 'admin.sign_out_everywhere' && a.target === email,
      );
      expect(ended.map((a) => a.actorEmail)).toEqual([E2E.adminEmail, email]);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});
