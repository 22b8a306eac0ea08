import { type Page, request as playwrightRequest } from '@playwright/test';
import superjson from 'superjson';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { SSO } from './fixtures/sso';

/**
 * Single sign-on through a real OpenID Connect provider (fixtures/oidc-idp.ts): the browser goes
 * from the console to the provider's login and consent pages and back (authorization code, PKCE,
 * state). The console verifies the provider's ID token and, as that carries no e-mail (OpenID
 * Connect Core 5.4), reads the e-mail and name at its userinfo endpoint.
 */

/** From the console's sign-in page through the provider's login and consent pages, as `login`. */
async function signInThroughIdp(page: Page, login: string) {
  await page.goto('/tenants');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole('button', { name: `Sign in with ${SSO.name}` }).click();

  // The provider's own login page (any password: its development interactions).
  await page.waitForURL(
    (url) => url.origin === SSO.issuer && url.pathname.startsWith('/interaction/'),
  );
  await expect(page.getByRole('heading', { name: 'Sign-in' })).toBeVisible();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();

  // Its consent page, for the scopes the console asks for besides openid.
  await expect(page.getByRole('heading', { name: 'Authorize' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: /^email$/ })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: /^profile$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test.describe('single sign-on (OpenID Connect)', () => {
  test('a first-time SSO user signs in and becomes a viewer', async ({ page }) => {
    const { email, name } = SSO.accounts['sso-user'];
    await signInThroughIdp(page, 'sso-user');

    await expect(page).toHaveURL(`${E2E.consoleUrl}/tenants`);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
    const session = (await (await page.request.get('/api/auth/session')).json()) as {
      adminId?: string;
      user?: { email?: string; name?: string };
    };
    expect(session.adminId).toBeTruthy();
    expect(session.user).toEqual({ email, name });

    // A viewer of no tenant: the demo tenant is not listed, and creating one is refused.
    await expect(page.getByText('No tenants yet')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Demo tenant' })).toHaveCount(0);
    const id = uniqueId('sso');
    const input = {
      id,
      displayName: 'Made by a viewer',
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    };
    const res = await page.request.post('/api/trpc/tenant.create', {
      data: superjson.serialize(input),
    });
    expect(res.status()).toBe(403);
    const body = (await res.json()) as { error?: { json?: { data?: { code?: string } } } };
    expect(body.error?.json?.data?.code).toBe('FORBIDDEN');
    // The console does not offer a viewer the "New tenant" control at all.
    await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New tenant' })).toHaveCount(0);

    // Nothing was created: the owner finds no such tenant.
    const owner = await playwrightRequest.newContext({ baseURL: E2E.consoleUrl });
    try {
      await signInViaApi(owner);
      const tenants = await trpc<{ id: string }[]>(owner, 'tenant.list', undefined, 'query');
      expect(tenants.map((t) => t.id)).not.toContain(id);
    } finally {
      await owner.dispose();
    }
  });

  test('an SSO user without an e-mail claim is refused', async ({ page }) => {
    await signInThroughIdp(page, 'no-email-user');

    // next-auth's own error page: the console's signIn callback said no.
    await expect(page).toHaveURL(`${E2E.consoleUrl}/sign-in?error=AccessDenied`);
    await expect(page.getByText('This account may not sign in to the console.')).toBeVisible();
    const session = await (await page.request.get('/api/auth/session')).json();
    expect(session).toEqual({});
    await page.goto('/tenants');
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});
