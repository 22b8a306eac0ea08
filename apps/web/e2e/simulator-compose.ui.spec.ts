import { expect, signInViaApi, test, trpc } from './fixtures/auth';
import { deleteTenants, seedClient, seedRule, seedTenant, seedTrustedIdp } from './fixtures/seed';

/**
 * The simulator's default run works on a fresh tenant: it composes the subject token as the
 * tenant's trusted issuer, for this simulation only, so nothing needs trusting and nothing changes.
 * Its trace lists the rules it tried, up to the one that granted.
 */
test.describe('simulator: compose as a trusted issuer', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('the default run is granted without trusting anything; rules after the match are not listed', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'simulate');
    tenants.push(tenantId);
    // Its tokens must name the gateway: the composed token does by default.
    const idp = await seedTrustedIdp(page.request, tenantId, {
      audiences: ['https://gateway.example'],
    });
    await seedClient(page.request, tenantId, 'gateway');
    const audience = 'https://orders.example';
    await seedRule(page.request, tenantId, 'other-audience', {
      clients: ['gateway'],
      issuer: idp.issuer,
      audience: 'https://billing.example',
    });
    await seedRule(page.request, tenantId, 'orders', {
      clients: ['gateway'],
      issuer: idp.issuer,
      audience,
    });
    await seedRule(page.request, tenantId, 'after-the-match', {
      clients: ['gateway'],
      issuer: idp.issuer,
      audience,
    });
    const issuersBefore = await trpc(page.request, 'issuer.list', { tenantId }, 'query');

    await page.goto(`/tenants/${tenantId}/simulator`);
    const request = page.getByRole('form', { name: 'Simulated request' });
    await expect(request.getByLabel('Compose', { exact: true }).first()).toBeChecked();
    await expect(request.getByLabel('Issuer (iss)').first()).toHaveValue(idp.issuer);
    await expect(request.getByLabel('aud 1').first()).toHaveValue('https://gateway.example');
    await request.getByLabel('Add to audience').fill(audience);
    await request.getByLabel('Add to audience').press('Enter');
    await request.getByRole('button', { name: 'Simulate', exact: true }).click();

    const result = page.getByTestId('simulation-result');
    await expect(result.getByRole('heading', { name: 'Granted by rule orders' })).toBeVisible();
    const tried = result.getByText(/^Rules evaluated, in order:/);
    await expect(tried).toContainText('other-audience, orders');
    await expect(tried).not.toContainText('after-the-match');
    // The would-be token is shown, but no usable subject token leaves the simulator.
    await expect(result.getByText(/a subject token from/)).toBeVisible();

    // Nothing was trusted or changed.
    expect(await trpc(page.request, 'issuer.list', { tenantId }, 'query')).toEqual(issuersBefore);
  });
});
