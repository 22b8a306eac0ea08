import { expect, signInViaApi, test, trpc } from './fixtures/auth';
import { deleteTenants, seedRule, seedTenant } from './fixtures/seed';
import { createTestIdp } from './fixtures/sts';

/**
 * The tenants, trusted issuers and rules lists: search as one types, sortable headers (not for
 * rules: their order is the order of evaluation). The clients list: clients.ui.spec.ts.
 */
test.describe('lists', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('tenants, trusted issuers and rules can be searched; the first two sorted', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'lists', 'Listed tenant');
    tenants.push(tenantId);
    const issuers = [
      await createTestIdp(`https://alpha.${tenantId}.example`),
      await createTestIdp(`https://beta.${tenantId}.example`),
    ];
    for (const [i, idp] of issuers.entries())
      await trpc(page.request, 'issuer.create', {
        tenantId,
        issuer: idp.issuer,
        jwks: idp.jwks,
        algorithms: ['ES256'],
        audiences: [i === 0 ? 'https://gateway.alpha.example' : 'https://gateway.beta.example'],
      });
    for (const [id, clients] of [
      ['orders-rule', ['gateway']],
      ['billing-rule', ['*']],
    ] as const)
      await seedRule(page.request, tenantId, id, {
        clients: [...clients],
        issuer: issuers[0]?.issuer ?? '',
        audience: `https://${id}.example`,
      });

    // Tenants: by id, name or issuer.
    await page.goto('/tenants');
    await page.getByRole('searchbox', { name: 'Search tenants' }).fill(tenantId);
    await expect(page.getByTestId('tenant-row')).toHaveCount(1);
    await expect(page.getByTestId('tenant-row')).toContainText('Listed tenant');
    await expect(page.getByRole('columnheader', { name: 'Tenant' })).toHaveAttribute(
      'aria-sort',
      'none',
    );
    await page.getByRole('columnheader', { name: 'Tenant' }).getByRole('button').click();
    await expect(page.getByRole('columnheader', { name: 'Tenant' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );

    // Trusted issuers: by URL and audience; sorted by issuer, then the other way.
    await page.goto(`/tenants/${tenantId}/issuers`);
    const rows = page.getByTestId('issuer-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('https://alpha.');
    const issuerHead = page.getByRole('columnheader', { name: 'Issuer' });
    await expect(issuerHead).toHaveAttribute('aria-sort', 'ascending');
    await issuerHead.getByRole('button').click();
    await expect(issuerHead).toHaveAttribute('aria-sort', 'descending');
    await expect(rows.first()).toContainText('https://beta.');
    await page.getByRole('searchbox', { name: 'Search trusted issuers' }).fill('gateway.alpha');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('https://alpha.');

    // Rules: searched, never sorted, and moving waits until the search is cleared.
    await page.goto(`/tenants/${tenantId}/rules`);
    await expect(page.getByTestId('rules-order-note')).toHaveText(
      'Not sortable: rules are listed in the order the STS tries them.',
    );
    await expect(page.locator('[aria-sort]')).toHaveCount(0);
    const items = page.getByTestId('rule-item');
    await expect(items).toHaveCount(2);
    await page.getByRole('searchbox', { name: 'Search rules' }).fill('billing');
    await expect(items).toHaveCount(1);
    await expect(items).toContainText('billing-rule');
    await expect(items).toContainText('2.');
    await expect(page.getByRole('button', { name: 'Move rule billing-rule up' })).toBeDisabled();
    await expect(page.getByTestId('rules-order-note')).toContainText(
      'Clear the search to move them.',
    );
    await page.getByRole('searchbox', { name: 'Search rules' }).fill('');
    await expect(page.getByRole('button', { name: 'Move rule billing-rule up' })).toBeEnabled();
  });
});
