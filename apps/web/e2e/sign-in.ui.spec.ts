import { expect, test } from './fixtures/auth';
import { E2E } from './fixtures/env';

test.describe('sign-in', () => {
  test('redirects to sign-in, refuses a wrong password, then signs in', async ({ page }) => {
    await page.goto('/tenants');
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('E-mail').fill(E2E.adminEmail);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText('Wrong e-mail or password')).toBeVisible();

    await page.getByLabel('Password').fill(E2E.adminPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByTestId('signed-in-as')).toHaveText(E2E.adminEmail);
    // The demo tenant from config/demo.yaml is there.
    await expect(page.getByRole('link', { name: 'Demo tenant' })).toBeVisible();
  });
});
