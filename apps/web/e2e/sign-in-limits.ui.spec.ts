import type { APIRequestContext } from '@playwright/test';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { removeAdmins, seedAdmin } from './fixtures/seed';

/**
 * Failed password sign-ins are limited per account (5) and per source address (20) in a
 * 15-minute window (the defaults): past either, sign-in is refused, even with the right
 * password, with a message saying how long to wait. Each test comes from its own address
 * (X-Forwarded-For, which the console reads as the source address with no proxy configured), so
 * the rest of the suite is not locked out.
 */

const LIMITED = 'Too many failed sign-ins. Try again in 15 minutes.';

/** next-auth's credentials endpoint, as the sign-in form calls it: the error code, or null. */
async function attempt(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as {
    csrfToken: string;
  };
  const res = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, json: 'true' },
  });
  const { url } = (await res.json()) as { url: string };
  return new URL(url).searchParams.get('error');
}

test.describe('sign-in limits', () => {
  const emails: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await removeAdmins(request, emails);
  });

  test('an account is locked after 5 failed sign-ins, from any address, with a clear message', async ({
    browser,
    request,
    playwright,
  }) => {
    await signInViaApi(request);
    const email = `${uniqueId('limited')}@e2e.test`;
    emails.push(email);
    const password = await seedAdmin(request, email, 'viewer', ['demo']);

    const context = await browser.newContext({
      baseURL: E2E.consoleUrl,
      extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.10' },
    });
    try {
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByLabel('E-mail').fill(email);
      for (let i = 0; i < 5; i++) {
        await page.getByLabel('Password').fill(`wrong password ${i}`);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await expect(page.getByText('Wrong e-mail or password')).toBeVisible();
        await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
      }
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'Too many' })).toHaveText(LIMITED);
      await expect(page).toHaveURL(/\/sign-in$/);
      expect(await (await page.request.get('/api/auth/session')).json()).toEqual({});
    } finally {
      await context.close();
    }

    // Another address does not help the account; another account from that address still works.
    const elsewhere = await playwright.request.newContext({
      baseURL: E2E.consoleUrl,
      extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.11' },
    });
    try {
      expect(await attempt(elsewhere, email, password)).toBe('SignInLimited:15');
    } finally {
      await elsewhere.dispose();
    }
    const sameAddress = await playwright.request.newContext({
      baseURL: E2E.consoleUrl,
      extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.10' },
    });
    try {
      expect(await attempt(sameAddress, E2E.adminEmail, E2E.adminPassword)).toBeNull();
    } finally {
      await sameAddress.dispose();
    }
  });

  test('an address is refused after 20 failed sign-ins, whatever the account', async ({
    playwright,
  }) => {
    const from = async (address: string) =>
      playwright.request.newContext({
        baseURL: E2E.consoleUrl,
        extraHTTPHeaders: { 'x-forwarded-for': address },
      });
    const noisy = await from('203.0.113.50');
    const quiet = await from('203.0.113.51');
    try {
      for (let i = 0; i < 20; i++)
        expect(await attempt(noisy, `${uniqueId('nobody')}@e2e.test`, 'wrong password')).toBe(
          'CredentialsSignin',
        );
      expect(await attempt(noisy, E2E.adminEmail, E2E.adminPassword)).toBe('SignInLimited:15');
      // The owner's own count was not touched: from another address they sign in.
      expect(await attempt(quiet, E2E.adminEmail, E2E.adminPassword)).toBeNull();
    } finally {
      await noisy.dispose();
      await quiet.dispose();
    }
  });
});
