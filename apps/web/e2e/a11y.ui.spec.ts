import { expect, signInViaApi, test } from './fixtures/auth';
import { deleteTenants, seedClient, seedTenant } from './fixtures/seed';

/** Keyboard and display basics: a skip link, focus after dialogs, a favicon, dark mode. */
test.describe('keyboard and display', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('the first Tab reaches "Skip to content", which moves focus to the page', async ({
    signedInPage: page,
  }) => {
    await page.goto('/tenants');
    await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
  });

  test('focus goes back to what opened a dialog, or to the page when that is gone', async ({
    signedInPage: page,
  }) => {
    await page.goto('/tenants');
    const newTenant = page.getByRole('button', { name: 'New tenant' });
    await newTenant.click();
    await expect(page.getByRole('dialog', { name: 'New tenant' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(newTenant).toBeFocused();

    const tenantId = await seedTenant(page.request, 'focus');
    tenants.push(tenantId);
    await seedClient(page.request, tenantId, 'keep');
    await seedClient(page.request, tenantId, 'remove-me');
    await page.goto(`/tenants/${tenantId}/clients`);
    await page.getByRole('button', { name: 'Actions for remove-me' }).click();
    await page.getByRole('menuitem', { name: /Delete/ }).click();
    await page.getByRole('button', { name: 'Delete client' }).click();
    await expect(page.getByTestId('client-row')).toHaveCount(1);
    // The row and its menu button are gone: focus is on the page, not lost on <body>.
    await expect(page.locator('main#main')).toBeFocused();
  });

  test('a favicon is served', async ({ signedInPage: page }) => {
    await page.goto('/tenants');
    const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(href).toBeTruthy();
    const icon = await page.request.get(href ?? '');
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
  });

  test('follows the system dark mode', async ({ signedInPage: page }) => {
    const colours = async () => {
      const body = await page.evaluate(() => {
        const style = getComputedStyle(document.body);
        return { background: style.backgroundColor, text: style.color };
      });
      return { background: luminance(body.background), text: luminance(body.text) };
    };
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/tenants');
    const light = await colours();
    expect(light.background).toBeGreaterThan(0.8);
    expect(light.text).toBeLessThan(0.3);

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/tenants');
    const dark = await colours();
    expect(dark.background).toBeLessThan(0.2);
    expect(dark.text).toBeGreaterThan(0.7);
    // Dialogs follow too (no white panel left over).
    await page.getByRole('button', { name: 'New tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tenant' });
    expect(
      luminance(await dialog.evaluate((el) => getComputedStyle(el).backgroundColor)),
    ).toBeLessThan(0.25);
  });
});

/** Relative luminance (0 black … 1 white) of a computed "rgb(r, g, b)" colour. */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
