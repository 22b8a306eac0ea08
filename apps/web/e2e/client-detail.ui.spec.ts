import { expect, signInViaApi, test } from './fixtures/auth';
import { deleteTenants, seedClient, seedRule, seedTenant, seedTrustedIdp } from './fixtures/seed';
import { ACCESS_TOKEN_TYPE, exchangeUntil, tokenExchange } from './fixtures/sts';

/**
 * A client's page after real exchanges at the STS: when it was last used, the rules that admit
 * it (by name or "*"), its latest attempts linking to the audit log; and an unknown client.
 */
test.describe('client detail page', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('shows last use, the rules that admit it and its recent exchanges', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'detail');
    tenants.push(tenantId);
    const audience = `https://orders.${tenantId}.example`;
    const idp = await seedTrustedIdp(page.request, tenantId);
    const secret = await seedClient(page.request, tenantId, 'gateway', {
      displayName: 'Orders gateway',
    });
    await seedClient(page.request, tenantId, 'batch');
    const issuer = idp.issuer;
    await seedRule(page.request, tenantId, 'gateway-orders', {
      clients: ['gateway'],
      issuer,
      audience,
    });
    await seedRule(page.request, tenantId, 'batch-only', { clients: ['batch'], issuer, audience });
    await seedRule(page.request, tenantId, 'anyone-billing', {
      clients: ['*'],
      issuer,
      audience: `https://billing.${tenantId}.example`,
    });

    // Before any exchange: never used.
    await page.goto(`/tenants/${tenantId}/clients`);
    await page.getByRole('link', { name: 'gateway', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/clients/gateway$`));
    await expect(page.getByTestId('client-last-used')).toHaveText('never');
    await expect(
      page.getByText('None yet: this client has not called the token endpoint.'),
    ).toBeVisible();

    // A granted exchange, then a denied one (an audience no rule allows).
    const subjectToken = await idp.mint('alice');
    const exchange = (aud: string) =>
      tokenExchange(
        tenantId,
        { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, audience: aud },
        ['gateway', secret],
      );
    const granted = await exchangeUntil(
      () => exchange(audience),
      (a) => a.status === 200,
      {
        // The STS polls for configuration changes; a busy machine may take a while.
        timeoutMs: 15_000,
      },
    );
    expect(granted.answer.status, JSON.stringify(granted.answer.body)).toBe(200);
    const denied = await exchange('https://elsewhere.example');
    expect(denied.status).toBe(400);

    await page.reload();
    await expect(page.getByRole('heading', { name: /^gateway/ })).toBeVisible();
    await expect(page.getByTestId('client-display-name')).toHaveText('Orders gateway');
    await expect(page.getByTestId('client-authentication')).toHaveText('client_secret_basic');
    await expect(page.getByTestId('client-token-exchange')).toHaveText('allowed');
    await expect(page.getByTestId('client-status')).toHaveText('enabled');
    await expect(page.getByTestId('client-created')).toHaveText(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );

    // Its latest attempts, newest first: the denied one, then the granted one (earlier attempts
    // may be refusals from before the STS had loaded the new configuration).
    const exchanges = page.getByTestId('client-exchange');
    await expect(exchanges.nth(0)).toContainText('denied');
    expect(await exchanges.count()).toBeGreaterThanOrEqual(2);
    expect(await exchanges.count()).toBeLessThanOrEqual(Math.min(10, granted.attempts + 1));
    await expect(exchanges.nth(1)).toContainText('granted');
    const newest = (await exchanges.nth(0).getByRole('link').textContent()) ?? '';
    await expect(page.getByTestId('client-last-used')).toHaveText(`${newest} UTC`);

    // The rules that admit it: by name and as any client, in evaluation order.
    const rules = page.getByTestId('client-rule');
    await expect(rules).toHaveCount(2);
    await expect(rules.getByRole('link')).toHaveText(['gateway-orders', 'anyone-billing']);
    await expect(rules.nth(0)).toContainText('names it');
    await expect(rules.nth(0)).toContainText(`Client gateway may get tokens for ${audience}`);
    await expect(rules.nth(1)).toContainText('any client (*)');
    await expect(rules.nth(1).getByText('3.', { exact: true })).toBeVisible();
    await rules.nth(0).getByRole('link', { name: 'gateway-orders' }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/rules/gateway-orders$`));
    await page.goBack();

    // Each attempt opens its audit event.
    await exchanges.nth(1).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/audit/[0-9A-Z]{26}$`));
    await expect(page.getByRole('heading', { name: 'Exchange attempt granted' })).toBeVisible();
    await expect(page.locator('dt:text-is("Client") + dd')).toHaveText('gateway');
    await expect(page.locator('dt:text-is("Rule") + dd')).toHaveText('gateway-orders');
  });

  test('an unknown client: NOT_FOUND, and a clear page', async ({ signedInPage: page }) => {
    const tenantId = await seedTenant(page.request, 'noclient');
    tenants.push(tenantId);
    const res = await page.request.get(
      `/api/trpc/client.get?input=${encodeURIComponent(JSON.stringify({ json: { tenantId, clientId: 'nobody' } }))}`,
    );
    expect(res.status()).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { json: { message: 'No such client', data: { code: 'NOT_FOUND' } } },
    });
    await page.goto(`/tenants/${tenantId}/clients/nobody`);
    await expect(page.getByText('No such client', { exact: true })).toBeVisible();
    await expect(page.getByText('This tenant has no client nobody.')).toBeVisible();
    await page.getByRole('link', { name: 'All clients' }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/clients$`));
  });
});
