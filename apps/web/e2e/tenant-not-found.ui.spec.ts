import { expect, test } from './fixtures/auth';

/** Every tab of a tenant that does not exist: one clear page, answered with HTTP 404. */
test.describe('an unknown tenant', () => {
  const tabs = [
    '',
    '/clients',
    '/issuers',
    '/rules',
    '/rules/new',
    '/keys',
    '/simulator',
    '/audit',
  ];

  for (const tab of tabs)
    test(`/tenants/no-such${tab} is "No such tenant" (404)`, async ({ signedInPage: page }) => {
      const response = await page.goto(`/tenants/no-such${tab}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByTestId('tenant-not-found')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'No such tenant' })).toBeVisible();
      // None of the tab's own content (empty states, forms, "New …" buttons) is shown.
      await expect(page.getByRole('navigation', { name: 'Tenant sections' })).toHaveCount(0);
      await expect(page.getByRole('button', { name: /^New / })).toHaveCount(0);
      await page.getByRole('link', { name: 'All tenants' }).click();
      await expect(page).toHaveURL(/\/tenants$/);
    });
});
