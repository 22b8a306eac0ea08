import { expect, signInViaApi, test } from './fixtures/auth';
import { deleteTenants, seedClient, seedTenant } from './fixtures/seed';

/** The header's tenant switcher: the current tenant, and the same section of another one. */
test.describe('tenant switcher', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('switches to the same section of another tenant, by keyboard', async ({
    signedInPage: page,
  }) => {
    const first = await seedTenant(page.request, 'switch-a', 'Switch first');
    const second = await seedTenant(page.request, 'switch-b', 'Switch second');
    tenants.push(first, second);
    await seedClient(page.request, first, 'only-in-first');
    const switcher = page.getByRole('button', { name: /^Switch tenant, current: / });

    // Not on the tenants list: it is a tenant's control.
    await page.goto('/tenants');
    await expect(page.getByTestId('tenant-row').first()).toBeVisible();
    await expect(switcher).toHaveCount(0);

    await page.goto(`/tenants/${first}/issuers`);
    await expect(switcher).toHaveAccessibleName('Switch tenant, current: Switch first');
    await switcher.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await expect(menu.getByRole('menuitemradio', { name: /Switch first/ })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    const target = menu.getByRole('menuitemradio', { name: /Switch second/ });
    for (let i = 0; i < 100 && !(await target.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press('ArrowDown');
    await expect(target).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/tenants/${second}/issuers$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Switch second');
    await expect(switcher).toHaveAccessibleName('Switch tenant, current: Switch second');

    // From a client's page: the other tenant's client list (it has no such client).
    await page.goto(`/tenants/${first}/clients/only-in-first`);
    await switcher.click();
    await page.getByRole('menuitemradio', { name: /Switch second/ }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${second}/clients$`));
    await expect(page.getByText('No clients yet')).toBeVisible();
  });
});
