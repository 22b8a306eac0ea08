import type { Page } from '@playwright/test';
import { expect, signInViaApi, test } from './fixtures/auth';
import { demoExchange, demoToken } from './fixtures/demo-tokens';
import { deleteTenants, seedClient, seedTenant } from './fixtures/seed';

/** A 390 px wide phone: no page scrolls sideways, and a row's actions are within reach. */
test.describe('at 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  const noSidewaysScroll = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

  test('the clients page, a client page and the lists fit, and the row menu works', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(
      page.request,
      'phone',
      'A tenant with a rather long display name for a phone',
    );
    tenants.push(tenantId);
    const longId = 'a-client-with-an-unusually-long-identifier-0123456789';
    await seedClient(page.request, tenantId, longId, {
      displayName: 'Its display name is long as well, and it wraps on a phone',
    });
    await seedClient(page.request, tenantId, 'short');

    await page.goto(`/tenants/${tenantId}/clients`);
    await expect(page.getByTestId('client-row')).toHaveCount(2);
    await noSidewaysScroll(page);
    const actions = page.getByRole('button', { name: `Actions for ${longId}` });
    await expect(actions).toBeInViewport();
    await actions.click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await expect(
      page.getByTestId('client-row').filter({ hasText: longId }).getByText('disabled'),
    ).toBeVisible();
    await noSidewaysScroll(page);

    await page.getByRole('link', { name: longId }).click();
    await expect(page.getByTestId('client-status')).toHaveText('disabled');
    await noSidewaysScroll(page);
    await page.getByRole('button', { name: `Actions for ${longId}` }).click();
    await page.getByRole('menuitem', { name: 'Enable' }).click();
    await expect(page.getByTestId('client-status')).toHaveText('enabled');
    await noSidewaysScroll(page);

    for (const path of ['/tenants', `/tenants/${tenantId}/issuers`, `/tenants/${tenantId}/rules`]) {
      await page.goto(path);
      await expect(page.getByRole('searchbox').or(page.getByText(/No .* yet/))).toBeVisible();
      await noSidewaysScroll(page);
    }
  });

  test('every page of a tenant with real traffic fits, the audit page and a simulation included', async ({
    signedInPage: page,
  }) => {
    const exchange = async (audience: string) =>
      demoExchange(
        {
          subject_token: await demoToken('alice'),
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          audience,
          scope: 'orders:read',
        },
        { basic: ['demo-gateway', 'demo-gateway-secret-0123456789abcdef'] },
      );
    expect((await exchange('https://orders.demo.example')).status).toBe(200);
    expect(
      (await exchange('https://a-rather-long-audience.example/that/nobody/allows')).status,
    ).toBe(400);

    const pages = [
      '/tenants',
      '/admins',
      '/tenants/demo',
      '/tenants/demo/clients',
      '/tenants/demo/clients/demo-gateway',
      '/tenants/demo/issuers',
      '/tenants/demo/rules',
      '/tenants/demo/rules/new',
      '/tenants/demo/rules/agent-to-tools',
      '/tenants/demo/keys',
      '/tenants/demo/audit',
      '/tenants/demo/audit?range=30d',
      '/tenants/demo/audit?view=admin',
      '/account',
      '/tenants/no-such/clients',
    ];
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('main#main')).toBeVisible();
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `${path} scrolls sideways`,
      ).toBeLessThanOrEqual(390);
    }

    // An audit event's page, and the simulator with a result.
    await page.goto('/tenants/demo/audit?decision=denied');
    await page
      .getByRole('link', { name: /^Event of / })
      .first()
      .click();
    await expect(page.getByRole('heading', { name: /Actor chain/ })).toBeVisible();
    await noSidewaysScroll(page);

    await page.goto('/tenants/demo/simulator');
    const request = page.getByRole('form', { name: 'Simulated request' });
    await request.getByLabel('Add to audience').fill('https://orders.demo.example');
    await request.getByLabel('Add to audience').press('Enter');
    await request.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect(page.getByTestId('simulation-result')).toBeVisible();
    await noSidewaysScroll(page);
  });
});
