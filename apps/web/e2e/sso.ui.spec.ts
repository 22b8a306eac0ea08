import { type APIRequestContext, type Page, request as playwrightRequest } from '@playwright/test';
import superjson from 'superjson';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { removeAdmins } from './fixtures/seed';
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
  await loginAtIdp(page, login);
}

/** At the provider: its login page, then its consent page, as `login`. */
async function loginAtIdp(page: Page, login: string) {
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

/** As the e2e owner, in a request context of its own. */
async function asOwner<T>(work: (owner: APIRequestContext) => Promise<T>): Promise<T> {
  const owner = await playwrightRequest.newContext({ baseURL: E2E.consoleUrl });
  try {
    await signInViaApi(owner);
    return await work(owner);
  } finally {
    await owner.dispose();
  }
}

interface ListedAdmin {
  id: string;
  email: string;
  status: string;
  ssoIdentities: { issuer: string; subject: string }[];
}

const adminsNamed = (email: string) =>
  asOwner(async (owner) =>
    (await trpc<ListedAdmin[]>(owner, 'admin.list', undefined, 'query')).filter(
      (a) => a.email === email,
    ),
  );

const removeAdminsAsOwner = (emails: string[]) => asOwner((owner) => removeAdmins(owner, emails));

async function expectSignedOut(page: Page) {
  expect(await (await page.request.get('/api/auth/session')).json()).toEqual({});
  await page.goto('/tenants');
  await expect(page).toHaveURL(/\/sign-in$/);
}

test.describe('single sign-on: who may sign in (decision 0014)', () => {
  for (const login of ['unverified-absent', 'unverified-string', 'unverified-false'] as const)
    test(`an e-mail address the provider has not verified is refused (${login})`, async ({
      page,
    }) => {
      await signInThroughIdp(page, login);
      await expect(page).toHaveURL(`${E2E.consoleUrl}/sign-in?error=SsoEmailUnverified`);
      await expect(
        page.getByText('Your identity provider has not verified your e-mail address'),
      ).toBeVisible();
      await expectSignedOut(page);
      // Nobody was created, though first-time SSO users become viewers.
      expect(await adminsNamed(SSO.accounts[login].email)).toEqual([]);
    });

  test('SSO never signs into a password admin by e-mail; the admin links it, then it does, until unlinked', async ({
    page,
    browser,
  }) => {
    const { email } = SSO.accounts['password-admin-twin'];
    await removeAdminsAsOwner([email]);
    const { password } = await asOwner((owner) =>
      trpc<{ password: string }>(owner, 'admin.invite', {
        email,
        role: 'viewer',
        tenantIds: ['demo'],
        delivery: 'password',
      }),
    );
    try {
      // 1. Same e-mail address at the provider, verified: refused, not signed in as the admin.
      await signInThroughIdp(page, 'password-admin-twin');
      await expect(page).toHaveURL(`${E2E.consoleUrl}/sign-in?error=SsoNotLinked`);
      await expect(
        page.getByText('This single sign-on account is not linked to a console admin.'),
      ).toBeVisible();
      await expectSignedOut(page);

      // 2. The admin signs in with their password and links it from their Account page.
      const context = await browser.newContext({ baseURL: E2E.consoleUrl });
      try {
        const admin = await context.newPage();
        await admin.goto('/sign-in');
        await admin.getByLabel('E-mail').fill(email);
        await admin.getByLabel('Password').fill(password);
        await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
        await expect(admin).toHaveURL(/\/tenants$/);
        await admin.getByTestId('signed-in-as').click();
        await expect(admin).toHaveURL(/\/account$/);
        await expect(admin.getByText('No single sign-on account is linked.')).toBeVisible();
        await admin.getByRole('button', { name: 'Link single sign-on' }).click();
        await loginAtIdp(admin, 'password-admin-twin');
        await expect(admin).toHaveURL(`${E2E.consoleUrl}/account`);
        await expect(admin.getByTestId('sso-identity')).toContainText('password-admin-twin');
        await expect(admin.getByTestId('signed-in-as')).toHaveText(email);
      } finally {
        await context.close();
      }
      const [linked] = await adminsNamed(email);
      expect(linked?.ssoIdentities).toEqual([
        expect.objectContaining({ issuer: SSO.issuer, subject: 'password-admin-twin' }),
      ]);

      // 3. Now SSO signs that admin in.
      const again = await browser.newContext({ baseURL: E2E.consoleUrl });
      try {
        const ssoPage = await again.newPage();
        await signInThroughIdp(ssoPage, 'password-admin-twin');
        await expect(ssoPage).toHaveURL(`${E2E.consoleUrl}/tenants`);
        await expect(ssoPage.getByTestId('signed-in-as')).toHaveText(email);

        // 4. Unlinked from the Account page: every session of the admin ends, this one too
        //    (decision 0017), and SSO is refused again.
        await ssoPage.goto('/account');
        await ssoPage.getByRole('button', { name: 'Unlink' }).click();
        await ssoPage
          .getByRole('dialog', { name: 'Unlink single sign-on?' })
          .getByRole('button', { name: 'Unlink' })
          .click();
        await expect(ssoPage).toHaveURL(/\/sign-in/);
        expect((await ssoPage.request.get('/api/trpc/account.ssoIdentities')).status()).toBe(401);
      } finally {
        await again.close();
      }
      const third = await browser.newContext({ baseURL: E2E.consoleUrl });
      try {
        const ssoPage = await third.newPage();
        await signInThroughIdp(ssoPage, 'password-admin-twin');
        await expect(ssoPage).toHaveURL(`${E2E.consoleUrl}/sign-in?error=SsoNotLinked`);
      } finally {
        await third.close();
      }

      // Each link and unlink is in the Admin activity.
      const actions = await asOwner((owner) =>
        trpc<{ items: { action: string; target: string | null; details: unknown }[] }>(
          owner,
          'admin.actions',
          { pageSize: 50 },
          'query',
        ),
      );
      const mine = actions.items.filter((a) => a.target === email).map((a) => a.action);
      expect(mine.slice(0, 2)).toEqual(['admin.sso_unlink', 'admin.sso_link']);
    } finally {
      await removeAdminsAsOwner([email]);
    }
  });

  test('an owner invites an admin for single sign-on only; their first SSO sign-in links it', async ({
    signedInPage: owner,
    browser,
  }) => {
    const { email } = SSO.accounts['sso-invitee'];
    await removeAdminsAsOwner([email]);
    try {
      await owner.goto('/admins');
      await owner.getByRole('button', { name: 'Invite admin' }).click();
      const invite = owner.getByRole('dialog', { name: 'Invite an admin' });
      await invite.getByLabel('E-mail').fill(email);
      await invite.getByLabel('Role').selectOption('viewer');
      await invite.getByLabel('Demo tenant').check();
      await invite.getByLabel(/^Single sign-on only/).check();
      await invite.getByRole('button', { name: 'Invite', exact: true }).click();
      await expect(invite).toBeHidden();
      const row = owner.getByTestId('admin-row').filter({ hasText: email });
      await expect(row.getByTestId('admin-status')).toHaveText('invited');
      await expect(row).toContainText('Invited to single sign-on');

      const context = await browser.newContext({ baseURL: E2E.consoleUrl });
      try {
        const invitee = await context.newPage();
        await signInThroughIdp(invitee, 'sso-invitee');
        await expect(invitee).toHaveURL(`${E2E.consoleUrl}/tenants`);
        await expect(invitee.getByTestId('signed-in-as')).toHaveText(email);
        await expect(invitee.getByRole('link', { name: 'Demo tenant' })).toBeVisible();
      } finally {
        await context.close();
      }
      await owner.reload();
      await expect(row.getByTestId('admin-status')).toHaveText('active');
      await expect(row.getByTestId('admin-sso-identity')).toContainText('sso-invitee');
    } finally {
      await removeAdminsAsOwner([email]);
    }
  });
});
