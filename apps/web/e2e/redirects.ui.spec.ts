import { expect, test } from './fixtures/auth';
import { E2E } from './fixtures/env';

/**
 * Every redirect target the console accepts stays on the console: the sign-in page's
 * `callbackUrl` (after a password sign-in, and as next-auth's callbackUrl for SSO and its own
 * endpoints). Browsers read `//host` and `/\host` as another site.
 */
const ELSEWHERE = [
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  'https://evil.example/tenants',
  'javascript:alert(1)',
];

test.describe('redirect targets', () => {
  for (const target of ELSEWHERE)
    test(`sign-in with callbackUrl ${JSON.stringify(target)} lands on the console`, async ({
      page,
    }) => {
      const requested: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).hostname.includes('evil')) requested.push(r.url());
      });
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
      await page.getByLabel('E-mail').fill(E2E.adminEmail);
      await page.getByLabel('Password').fill(E2E.adminPassword);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page).toHaveURL(`${E2E.consoleUrl}/tenants`);
      await expect(page.getByTestId('signed-in-as')).toHaveText(E2E.adminEmail);
      expect(requested).toEqual([]);
    });

  test('a callbackUrl on the console is followed', async ({ page }) => {
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent('/admins')}`);
    await page.getByLabel('E-mail').fill(E2E.adminEmail);
    await page.getByLabel('Password').fill(E2E.adminPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(`${E2E.consoleUrl}/admins`);
  });

  test('next-auth sends a foreign callbackUrl to the console instead', async ({ request }) => {
    for (const callbackUrl of ['//evil.example', '/\\evil.example', 'https://evil.example/']) {
      const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as {
        csrfToken: string;
      };
      const res = await request.post('/api/auth/callback/credentials', {
        form: {
          csrfToken,
          email: E2E.adminEmail,
          password: E2E.adminPassword,
          callbackUrl,
          json: 'true',
        },
      });
      expect(res.status()).toBe(200);
      expect(await res.json()).toEqual({ url: `${E2E.consoleUrl}/tenants` });
      // And through the sign-out endpoint, which takes one too.
      const out = await request.post('/api/auth/signout', {
        form: { csrfToken, callbackUrl, json: 'true' },
      });
      expect(await out.json()).toEqual({ url: `${E2E.consoleUrl}/tenants` });
    }
  });
});
