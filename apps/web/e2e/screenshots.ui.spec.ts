import { resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/auth';
import { demoExchange, demoToken } from './fixtures/demo-tokens';

/**
 * The screenshots in docs/screenshots/, referenced from the README. Skipped unless
 * UPDATE_SCREENSHOTS=1: `UPDATE_SCREENSHOTS=1 pnpm --filter @sts/web test:e2e screenshots`.
 * 1280 pixels wide; a page is captured whole unless it is very tall, then from `from` down.
 */
const dir = resolve(import.meta.dirname, '../../../docs/screenshots');
const GATEWAY: [string, string] = ['demo-gateway', 'demo-gateway-secret-0123456789abcdef'];
const MAX_HEIGHT = 1600;

/** Where an element starts or ends on the page, in CSS pixels from the top of the document. */
const pageY = (locator: Locator, edge: 'top' | 'bottom') =>
  locator.evaluate((el, e) => el.getBoundingClientRect()[e] + window.scrollY, edge);

/**
 * Waits until `ready` shows and nothing is loading, then captures the page, 1280 wide: whole, or
 * from a little above `from` down to a little above `to`, never taller than `maxHeight`.
 */
async function shoot(
  page: Page,
  name: string,
  ready: Locator,
  { from, to, maxHeight = MAX_HEIGHT }: { from?: Locator; to?: Locator; maxHeight?: number } = {},
) {
  await expect(ready.first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('status')).toHaveCount(0, { timeout: 15_000 });
  // No focus ring on the last field typed in; fonts loaded before the capture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.evaluate(() => document.fonts.ready);
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  const top = from ? Math.max(0, Math.floor((await pageY(from, 'top')) - 24)) : 0;
  const bottom = to ? Math.ceil((await pageY(to, 'top')) - 8) : pageHeight;
  await page.screenshot({
    path: `${dir}/${name}.png`,
    fullPage: true,
    clip: { x: 0, y: top, width: 1280, height: Math.min(bottom - top, maxHeight) },
  });
}

test.describe('screenshots', () => {
  test.skip(
    !process.env.UPDATE_SCREENSHOTS,
    'set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots',
  );

  test('main pages', async ({ signedInPage: page }) => {
    const subject = await demoToken('alice');
    for (const [audience, scope] of [
      ['https://orders.demo.example', 'orders:read'],
      ['https://orders.demo.example', 'orders:read admin'],
      ['https://billing.demo.example', 'orders:read'],
    ] as const)
      await demoExchange(
        {
          subject_token: subject,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          audience,
          scope,
        },
        { basic: GATEWAY },
      );
    await page.setViewportSize({ width: 1280, height: 860 });
    const main = page.getByRole('main');

    await page.goto('/tenants');
    await shoot(page, 'tenants', main.getByRole('link', { name: 'Demo tenant' }));
    await page.goto('/tenants/demo');
    await shoot(page, 'tenant-overview', main.getByText('Endpoints'));
    await page.goto('/tenants/demo/clients');
    await shoot(page, 'clients', page.getByTestId('client-row'));
    await page.goto('/tenants/demo/clients/demo-gateway');
    await shoot(page, 'client', page.getByTestId('client-exchange'));
    await page.goto('/tenants/demo/issuers');
    await shoot(page, 'trusted-issuers', page.getByTestId('issuer-row'));
    await page.goto('/tenants/demo/rules');
    await shoot(page, 'rules', page.getByTestId('rule-item'));
    await page.goto('/tenants/demo/rules/gateway-to-orders');
    await shoot(page, 'rule-editor', page.getByTestId('rule-summary').getByText(/^Client /), {
      maxHeight: 1000,
    });
    await page.goto('/tenants/demo/keys');
    await shoot(page, 'signing-keys', main.getByRole('cell', { name: 'ES256' }));

    // The simulator, after a run with a pasted token of the demo identity provider.
    await page.goto('/tenants/demo/simulator');
    const form = page.getByRole('form', { name: 'Simulated request' });
    await form.getByLabel('Client', { exact: true }).selectOption('demo-gateway');
    await form
      .getByRole('group', { name: 'Subject token', exact: true })
      .getByLabel('Paste a token')
      .check();
    await form.getByLabel('Token', { exact: true }).fill(subject);
    await form.getByLabel('Add to audience').fill('https://orders.demo.example');
    await form.getByLabel('Add to audience').press('Enter');
    await form.getByLabel('scope', { exact: true }).fill('orders:read');
    await expect(form.getByLabel('audience 1')).toHaveValue('https://orders.demo.example');
    await shoot(page, 'simulator', form.getByLabel('audience 1'));
    await form.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByTestId('simulation-result');
    await expect(result).toContainText('Granted by rule gateway-to-orders');
    const traceCard = result
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Decision trace' }) });
    await shoot(page, 'simulator-result', result, { from: result, to: traceCard });
    await shoot(page, 'simulator-trace', traceCard, { from: traceCard });

    await page.goto('/tenants/demo/audit');
    const granted = main
      .getByRole('row')
      .filter({ has: page.getByText('granted', { exact: true }) });
    await shoot(page, 'audit', granted);
    await granted
      .first()
      .getByRole('link', { name: /^Event of / })
      .click();
    await shoot(page, 'audit-event', main.getByRole('list', { name: 'Actor chain' }), {
      maxHeight: 1300,
    });
  });
});
