import type { Locator, Page } from '@playwright/test';
import { expect, signInViaApi, test, trpc, uniqueId } from './fixtures/auth';
import { E2E } from './fixtures/env';
import {
  ACCESS_TOKEN_TYPE,
  createTestIdp,
  E2E_IDP_AUDIENCE,
  exchangeUntil,
  jwtPayload,
  tokenExchange,
} from './fixtures/sts';

/**
 * The console end to end, in the browser against the real STS: an admin signs in, creates a
 * tenant, a client, a trusted issuer and a delegation rule, simulates an exchange, performs it
 * for real, finds it in the audit log, then edits the rule and sees the STS refuse within 2 s.
 */

const section = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Tenant sections' })
    .getByRole('link', { name, exact: true });

/** The actor chain diagram's boxes, outermost actor first, as "role sub" text. */
const chainNodes = (scope: Locator | Page) =>
  scope.getByRole('list', { name: 'Actor chain' }).getByTestId('actor-chain-node');

test.describe('console flow', () => {
  /** The tenant a test created, deleted after it over tRPC whatever happened. */
  let createdTenant: string | undefined;

  test.beforeEach(() => {
    createdTenant = undefined;
  });

  test.afterEach(async ({ request }) => {
    if (!createdTenant) return;
    await signInViaApi(request);
    await trpc(request, 'tenant.delete', {
      tenantId: createdTenant,
      confirmTenantId: createdTenant,
    }).catch(() => undefined);
  });

  test('sign in, configure a tenant, simulate, exchange for real, audit, and revoke by editing the rule', async ({
    page,
  }) => {
    const tenantId = uniqueId('flow');
    const tenantName = `Flow ${tenantId}`;
    const clientId = 'orders-gateway';
    const ruleId = 'gateway-to-orders';
    const audience = `https://orders.${tenantId}.example`;
    const otherAudience = `https://billing.${tenantId}.example`;
    const idp = await createTestIdp(`https://idp.${tenantId}.example`);
    const subjectToken = await idp.mint('alice');

    // 1. Sign in through the form.
    await page.goto('/tenants');
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('E-mail').fill(E2E.adminEmail);
    await page.getByLabel('Password').fill(E2E.adminPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByTestId('signed-in-as')).toHaveText(E2E.adminEmail);

    // 2. A tenant, from the Tenants page.
    await page.getByRole('button', { name: 'New tenant' }).click();
    const tenantDialog = page.getByRole('dialog', { name: 'New tenant' });
    await tenantDialog.getByLabel('Id').fill(tenantId);
    await tenantDialog.getByLabel('Display name').fill(tenantName);
    await tenantDialog.getByRole('button', { name: 'Create tenant' }).click();
    createdTenant = tenantId;
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}$`));
    await expect(page.getByRole('heading', { name: tenantName })).toBeVisible();

    // 3. A client_secret_basic client; its secret is shown once.
    await section(page, 'Clients').click();
    await page.getByRole('button', { name: 'New client' }).click();
    const clientDialog = page.getByRole('dialog', { name: 'New client' });
    await clientDialog.getByLabel('Client id').fill(clientId);
    await clientDialog.getByLabel('Authentication method').selectOption('client_secret_basic');
    await clientDialog.getByRole('button', { name: 'Create client' }).click();
    const secretDialog = page.getByRole('dialog', { name: `Secret of ${clientId}` });
    await expect(secretDialog).toBeVisible();
    const secret = ((await secretDialog.getByTestId('client-secret').textContent()) ?? '').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
    await expect(secretDialog).toBeHidden();
    await expect(page.getByTestId('client-row').filter({ hasText: clientId })).toBeVisible();
    await expect(page.getByTestId('client-secret')).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await expect(page.getByTestId('client-row').filter({ hasText: clientId })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    const listed = await trpc<Record<string, unknown>[]>(
      page.request,
      'client.list',
      { tenantId },
      'query',
    );
    expect(listed.map((c) => c.clientId)).toEqual([clientId]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    for (const c of listed)
      expect(
        Object.keys(c).filter((k) => /secret|hash/i.test(k)),
        'no secret fields',
      ).toEqual([]);

    // 4. A trusted issuer with its public keys pasted inline, ES256 only.
    await section(page, 'Trusted issuers').click();
    await page.getByRole('button', { name: 'Add issuer' }).click();
    const issuerDialog = page.getByRole('dialog', { name: 'Add trusted issuer' });
    await issuerDialog.getByLabel('Issuer', { exact: true }).fill(idp.issuer);
    await issuerDialog.getByLabel('Inline JWKS').check();
    await issuerDialog.getByLabel('JWKS (JSON)').fill(JSON.stringify(idp.jwks, null, 2));
    await expect(issuerDialog.getByLabel('ES256', { exact: true })).toBeChecked();
    await issuerDialog.getByLabel('RS256', { exact: true }).uncheck();
    // Its tokens must name the audience this STS has at the issuer (any audience is opt-in).
    await issuerDialog.getByLabel('Add audience').fill(E2E_IDP_AUDIENCE);
    await issuerDialog.getByLabel('Add audience').press('Enter');
    await issuerDialog.getByRole('button', { name: 'Add issuer' }).click();
    await expect(issuerDialog).toBeHidden();
    const issuerRow = page.getByTestId('issuer-row').filter({ hasText: idp.issuer });
    await expect(issuerRow).toContainText(`1 inline key(s): ${idp.jwks.keys[0]?.kid}`);
    await expect(issuerRow.getByRole('cell').nth(2)).toHaveText('ES256typ at+jwt');
    await expect(issuerRow.getByRole('cell').nth(3)).toHaveText(E2E_IDP_AUDIENCE);

    // 5. A delegation rule: the client acting as itself for users of that issuer.
    await section(page, 'Rules').click();
    await page.getByRole('link', { name: 'New rule' }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/rules/new$`));
    await page.getByLabel('Id', { exact: true }).fill(ruleId);
    await page.getByRole('group', { name: 'Clients' }).getByLabel(clientId).check();
    await page.getByRole('group', { name: 'Subject issuers' }).getByLabel(idp.issuer).check();
    await expect(page.getByLabel(/^Delegation:/)).toBeChecked();
    await expect(page.getByLabel(/The client itself may act/)).toBeChecked();
    await page.getByLabel('Add to audiences').fill(audience);
    await page.getByLabel('Add to audiences').press('Enter');
    await page.getByLabel('Add to scopes').fill('orders:read');
    await page.getByLabel('Add to scopes').press('Enter');
    const summary = page.getByTestId('rule-summary');
    await expect(summary).toContainText(`Client ${clientId} may get tokens for ${audience}`);
    await expect(summary).toContainText('with scope orders:read');
    await expect(summary).toContainText(`on behalf of users of ${idp.issuer}`);
    await expect(summary).toContainText('acting as itself');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/rules$`));
    const ruleItem = page.getByTestId('rule-item').filter({ hasText: ruleId });
    await expect(ruleItem).toContainText(`Client ${clientId} may get tokens for ${audience}`);

    // 6. The simulator, with the token the test minted, pasted.
    await section(page, 'Simulator').click();
    const request = page.getByRole('form', { name: 'Simulated request' });
    await expect(request.getByLabel('Client', { exact: true })).toHaveValue(clientId);
    await request
      .getByRole('group', { name: 'Subject token', exact: true })
      .getByLabel('Paste a token')
      .check();
    await request.getByLabel('Token', { exact: true }).fill(subjectToken);
    await request.getByLabel('Add to audience').fill(audience);
    await request.getByLabel('Add to audience').press('Enter');
    await request.getByLabel('scope', { exact: true }).fill('orders:read');
    await request.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByTestId('simulation-result');
    await expect(result).toContainText(`Granted by rule ${ruleId}`);
    const ruleStep = result
      .getByTestId('trace-step')
      .filter({ has: page.getByText(`Rule ${ruleId}`, { exact: true }) });
    await expect(ruleStep).toContainText('matched');
    await expect(ruleStep.locator('svg[aria-label="failed"]')).toHaveCount(0);
    for (const check of ['client', 'subject_issuer', 'mode', 'target', 'scope']) {
      const entry = ruleStep
        .getByRole('listitem')
        .filter({ has: page.getByText(check, { exact: true }) });
      await expect(entry.locator('svg[aria-label="passed"]'), `check ${check}`).toHaveCount(1);
    }
    await expect(chainNodes(result)).toHaveText([
      new RegExp(`Current actor\\s*${clientId}`),
      /Subject\s*alice/,
    ]);

    // 7. The real exchange at the STS, with the client's id and secret (Basic).
    const exchange = () =>
      tokenExchange(
        tenantId,
        {
          subject_token: subjectToken,
          subject_token_type: ACCESS_TOKEN_TYPE,
          audience,
          scope: 'orders:read',
        },
        [clientId, secret],
      );
    const granted = await exchangeUntil(exchange, (a) => a.status === 200, { timeoutMs: 3_000 });
    expect(granted.answer, 'the STS grants once it has the new configuration').toMatchObject({
      status: 200,
      body: { issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer' },
    });
    test.info().annotations.push({
      type: 'granted',
      description: `after ${granted.attempts} attempt(s)`,
    });
    const issued = jwtPayload(String(granted.answer.body.access_token));
    expect(issued).toMatchObject({ sub: 'alice', aud: audience, act: { sub: clientId } });

    // 8. The audit log has it: granted, the client, the subject; the detail draws the chain.
    await section(page, 'Audit').click();
    const row = page
      .getByRole('row')
      .filter({ hasText: clientId })
      .filter({ hasText: 'alice' })
      .filter({ hasText: 'granted' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(ruleId);
    await row.getByRole('link', { name: /^Event of / }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/audit/[^/?]+`));
    await expect(page.getByRole('heading', { name: 'Exchange attempt granted' })).toBeVisible();
    const detail = (label: string) => page.locator(`dt:text-is("${label}") + dd`);
    await expect(detail('Client')).toHaveText(clientId);
    await expect(detail('Subject')).toHaveText('alice');
    await expect(detail('Subject issuer')).toHaveText(idp.issuer);
    await expect(detail('Rule')).toHaveText(ruleId);
    await expect(chainNodes(page)).toHaveText([
      new RegExp(`Current actor\\s*${clientId}`),
      new RegExp(`Subject\\s*alice\\s*${idp.issuer.replace(/\./g, '\\.')}`),
    ]);

    // 9. Edit the rule to another audience: the STS refuses the same exchange within 2 s.
    await section(page, 'Rules').click();
    await page.getByRole('link', { name: `Edit rule ${ruleId}` }).click();
    await expect(page.getByLabel('Audiences 1')).toHaveValue(audience);
    await page.getByRole('button', { name: `Remove ${audience}` }).click();
    await page.getByLabel('Add to audiences').fill(otherAudience);
    await page.getByLabel('Add to audiences').press('Enter');
    await expect(page.getByLabel('Audiences 1')).toHaveValue(otherAudience);
    const savedAt = Date.now();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/rules$`));
    const refused = await exchangeUntil(exchange, (a) => a.status === 400, { timeoutMs: 5_000 });
    const elapsed = Date.now() - savedAt;
    test.info().annotations.push({
      type: 'refused after the save',
      description: `${elapsed} ms, ${refused.attempts} attempt(s)`,
    });
    expect(refused.answer.status, JSON.stringify(refused.answer.body)).toBe(400);
    expect(refused.answer.body.error, 'the new audience no longer allows it').toBe(
      'invalid_target',
    );
    expect(elapsed, `refused ${elapsed} ms after the save`).toBeLessThan(2_000);
  });

  test('bad input shows inline errors and saves nothing', async ({ signedInPage: page }) => {
    const tenantId = uniqueId('badinput');
    await trpc(page.request, 'tenant.create', {
      id: tenantId,
      displayName: `Bad input ${tenantId}`,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
    createdTenant = tenantId;

    // A tenant id with capitals.
    const badTenantId = `Bad${tenantId}`;
    await page.goto('/tenants');
    await page.getByRole('button', { name: 'New tenant' }).click();
    const tenantDialog = page.getByRole('dialog', { name: 'New tenant' });
    await tenantDialog.getByLabel('Id').fill(badTenantId);
    await tenantDialog.getByLabel('Display name').fill('Capitals');
    await tenantDialog.getByRole('button', { name: 'Create tenant' }).click();
    await expect(tenantDialog.getByRole('alert')).toHaveText(
      'Use lower-case letters, digits, "-" and "_" (at most 63)',
    );
    await expect(tenantDialog.getByLabel('Id')).toHaveAttribute('aria-invalid', 'true');
    await expect(tenantDialog).toBeVisible();
    const tenants = await trpc<{ id: string }[]>(page.request, 'tenant.list', undefined, 'query');
    expect(tenants.map((t) => t.id.toLowerCase())).not.toContain(badTenantId.toLowerCase());

    // A client id with spaces.
    await page.goto(`/tenants/${tenantId}/clients`);
    await page.getByRole('button', { name: 'New client' }).click();
    const clientDialog = page.getByRole('dialog', { name: 'New client' });
    await clientDialog.getByLabel('Client id').fill('orders gateway');
    await clientDialog.getByRole('button', { name: 'Create client' }).click();
    await expect(clientDialog.getByRole('alert')).toHaveText(
      'Use letters, digits and punctuation, without spaces or accents (at most 128)',
    );
    await expect(clientDialog).toBeVisible();
    await expect(page.getByTestId('client-secret')).toHaveCount(0);
    expect(await trpc(page.request, 'client.list', { tenantId }, 'query')).toEqual([]);

    // A rule naming no client, with a scope that is not a scope token.
    await page.goto(`/tenants/${tenantId}/rules/new`);
    await page.getByLabel('Id', { exact: true }).fill('no-clients');
    await page
      .getByRole('group', { name: 'Subject issuers' })
      .getByLabel(/\(self\)/)
      .check();
    await page.getByLabel('Add to audiences').fill('https://orders.example');
    await page.getByLabel('Add to audiences').press('Enter');
    await page.getByLabel('Add to scopes').fill('orders read');
    await page.getByLabel('Add to scopes').press('Enter');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expect(page.getByRole('group', { name: 'Clients' }).getByRole('alert')).toBeVisible();
    await expect(page.getByRole('group', { name: 'Scopes' }).getByRole('alert')).toHaveText(
      'One scope, without spaces or quotes (RFC 6749 §3.3)',
    );
    await expect(page.getByLabel('Scopes 1')).toHaveAttribute('aria-invalid', 'true');
    await expect(page).toHaveURL(new RegExp(`/tenants/${tenantId}/rules/new$`));
    const rules = await trpc<{ rules: unknown[] }>(
      page.request,
      'rule.list',
      { tenantId },
      'query',
    );
    expect(rules.rules).toEqual([]);
  });
});
