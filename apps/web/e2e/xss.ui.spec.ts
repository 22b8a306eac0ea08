import { expect, test, trpc, uniqueId } from './fixtures/auth';

test.describe('admin-entered text is rendered as text', () => {
  let tenantId: string;
  test.afterEach(async ({ signedInPage: page }) => {
    await trpc(page.request, 'tenant.delete', { tenantId, confirmTenantId: tenantId }).catch(
      () => undefined,
    );
  });

  test('a tenant named like an HTML payload stays harmless', async ({ signedInPage: page }) => {
    tenantId = uniqueId('xss');
    const payload = '<img src=x onerror="window.__xss=1">';
    await trpc(page.request, 'tenant.create', {
      id: tenantId,
      displayName: payload,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto('/tenants');
    await expect(page.getByRole('link', { name: payload })).toBeVisible();
    await page.goto(`/tenants/${tenantId}`);
    await expect(page.getByRole('heading', { name: payload })).toBeVisible();
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
  });
});
