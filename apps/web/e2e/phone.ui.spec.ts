import type { Page } from '@playwright/test';
import { expect, signInViaApi, test } from './fixtures/auth';
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
});
