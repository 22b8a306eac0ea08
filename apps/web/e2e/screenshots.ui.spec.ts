import { resolve } from 'node:path';
import { expect, test } from './fixtures/auth';
import { demoExchange, demoToken } from './fixtures/demo-tokens';

/**
 * The screenshots in docs/screenshots/, referenced from the README. Skipped unless
 * UPDATE_SCREENSHOTS=1: `UPDATE_SCREENSHOTS=1 pnpm --filter @sts/web test:e2e --grep screenshots`.
 */
const dir = resolve(import.meta.dirname, '../../../docs/screenshots');
const GATEWAY: [string, string] = ['demo-gateway', 'demo-gateway-secret-0123456789abcdef'];

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
    const shots: [string, string][] = [
      ['/tenants', 'tenants'],
      ['/tenants/demo', 'tenant-overview'],
      ['/tenants/demo/clients', 'clients'],
      ['/tenants/demo/issuers', 'trusted-issuers'],
      ['/tenants/demo/rules', 'rules'],
      ['/tenants/demo/simulator', 'simulator'],
      ['/tenants/demo/keys', 'signing-keys'],
      ['/tenants/demo/audit', 'audit'],
    ];
    for (const [path, name] of shots) {
      await page.goto(path);
      await expect(page.getByRole('status')).toHaveCount(0, { timeout: 15_000 });
      await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
    }
  });
});
