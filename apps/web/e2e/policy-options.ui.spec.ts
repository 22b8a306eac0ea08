import { expect, signInViaApi, test, trpc } from './fixtures/auth';
import { deleteTenants, seedClient, seedRule, seedTenant, seedTrustedIdp } from './fixtures/seed';
import { createTestIdp } from './fixtures/sts';

/**
 * The policy options of decisions 0010 and 0011 in the console: a trusted issuer accepts any
 * audience only by an explicit opt-in and says which typ its access tokens carry, with a sample
 * token to show what the issuer really sends; the simulator shows the subject's sub_id and the
 * new checks in its trace.
 */

/** A token shaped like an ID token made for another application (read, never verified). */
function idTokenOfAnotherApp(issuer: string, kid: string): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT', kid })}.${part({
    iss: issuer,
    sub: 'alice',
    aud: 'another-app',
    exp: Math.floor(Date.now() / 1000) + 600,
  })}.c2lnbmF0dXJl`;
}

test.describe('policy options', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('issuer dialog: no audience means nothing is accepted; any audience and typ JWT are explicit, checked on a sample token', async ({
    signedInPage: page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const tenantId = await seedTenant(page.request, 'issuer-opts');
    tenants.push(tenantId);
    const idp = await createTestIdp(`https://idp.${tenantId}.example`);
    const kid = String(idp.jwks.keys[0]?.kid);
    const sample = idTokenOfAnotherApp(idp.issuer, kid);

    await page.goto(`/tenants/${tenantId}/issuers`);
    await page.getByRole('button', { name: 'Add issuer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add trusted issuer' });
    await dialog.getByLabel('Issuer', { exact: true }).fill(idp.issuer);
    await dialog.getByLabel('Inline JWKS').check();
    await dialog.getByLabel('JWKS (JSON)').fill(JSON.stringify(idp.jwks, null, 2));

    // The defaults: at+jwt only, and no audience, which the console does not save.
    const typ = dialog.getByRole('group', { name: 'Access token typ' });
    await expect(typ.getByLabel('at+jwt')).toBeChecked();
    await expect(typ.getByLabel('JWT', { exact: true })).not.toBeChecked();
    await expect(typ.getByLabel('No typ header')).not.toBeChecked();
    const anyAudience = dialog.getByLabel('Accept any audience (not recommended)');
    await expect(anyAudience).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Add issuer' }).click();
    await expect(
      dialog.getByText('Name at least one audience, or accept any audience'),
    ).toBeVisible();

    // The sample token shows what the issuer sends, and that these settings would refuse it.
    await dialog.getByLabel('Sample token from this issuer').fill(sample);
    await dialog.getByRole('button', { name: 'Check sample token' }).click();
    const report = dialog.getByRole('status', { name: 'Sample token check' });
    await expect(report).toContainText('typJWT');
    await expect(report).toContainText(`kid${kid} (among the keys)`);
    await expect(report).toContainText('audanother-app');
    await expect(report).toContainText('scopeabsent');
    await expect(report).toContainText(
      'typ "JWT" is not one this issuer uses for access tokens (accepted: at+jwt)',
    );
    await expect(report).toContainText('These settings would refuse it as an access token.');

    // Opting in to any audience and to typ JWT: the same token would now pass.
    await anyAudience.check();
    await expect(dialog.getByLabel('Add audience')).toHaveCount(0);
    await typ.getByLabel('JWT', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Check sample token' }).click();
    await expect(report).toContainText('any audience is accepted (aud: another-app)');
    await expect(report).toContainText(
      'These settings would accept it as an access token, if its signature verifies.',
    );

    await dialog.getByRole('button', { name: 'Add issuer' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId('issuer-row').filter({ hasText: idp.issuer });
    await expect(row).toContainText('typ at+jwt, JWT');
    await expect(row.getByText('any audience')).toBeVisible();
    const [stored] = await trpc<Record<string, unknown>[]>(
      page.request,
      'issuer.list',
      { tenantId },
      'query',
    );
    expect(stored).toMatchObject({
      issuer: idp.issuer,
      audiences: [],
      anyAudience: true,
      accessTokenTyp: ['at+jwt', 'JWT'],
    });
    // The sample token was only read: nothing of it was stored.
    expect(JSON.stringify(stored)).not.toContain(sample.split('.')[1]);
    expect(errors, 'no error in the page').toEqual([]);
  });

  test('rule editor and simulator: the new options, the sub_id of the subject and the new checks', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'sub-id');
    tenants.push(tenantId);
    const idp = await seedTrustedIdp(page.request, tenantId, {
      audiences: ['https://gateway.example'],
    });
    await seedClient(page.request, tenantId, 'gateway');
    const audience = 'https://orders.example';
    await seedRule(page.request, tenantId, 'orders', {
      clients: ['gateway'],
      issuer: idp.issuer,
      audience,
    });

    // The rule editor offers the options, with the safe defaults.
    await page.goto(`/tenants/${tenantId}/rules`);
    await page.getByRole('link', { name: 'Edit rule orders' }).click();
    await expect(
      page
        .getByRole('group', { name: 'Subject token without a scope claim' })
        .getByLabel(/^No scope/),
    ).toBeChecked();
    await expect(page.getByLabel('Maximum subject token age (seconds)')).toHaveValue('');
    await page
      .getByRole('group', { name: 'Subject issuers' })
      .getByLabel(/\(self\)/)
      .check();
    await expect(
      page.getByLabel("Any client of the rule may exchange this tenant's tokens again"),
    ).not.toBeChecked();
    await page
      .getByRole('group', { name: 'Mode' })
      .getByLabel(/^Impersonation/)
      .check();
    await expect(page.getByLabel('Accept delegated subject tokens (with act)')).not.toBeChecked();
    const summary = page.getByTestId('rule-summary');
    await expect(summary).toContainText(
      'A token this tenant issued may be exchanged again only by its holder',
    );
    await expect(summary).toContainText(
      'may share a sub, so consumers must tell them apart by sub_id',
    );

    // The simulator: a composed token of the trusted issuer, granted with its sub_id.
    await page.goto(`/tenants/${tenantId}/simulator`);
    const request = page.getByRole('form', { name: 'Simulated request' });
    await request.getByLabel('Add to audience').fill(audience);
    await request.getByLabel('Add to audience').press('Enter');
    await request.getByRole('button', { name: 'Simulate', exact: true }).click();
    const result = page.getByTestId('simulation-result');
    await expect(result.getByRole('heading', { name: 'Granted by rule orders' })).toBeVisible();
    await expect(result.getByTestId('sub-id')).toHaveText(`sub_id ${idp.issuer} / alice`);
    const ruleStep = result
      .getByTestId('trace-step')
      .filter({ has: page.getByText('Rule orders', { exact: true }) });
    for (const check of ['holder', 'subject_age', 'delegated_subject', 'actor_loop']) {
      const entry = ruleStep
        .getByRole('listitem')
        .filter({ has: page.getByText(check, { exact: true }) });
      await expect(entry.locator('svg[aria-label="passed"]'), `check ${check}`).toHaveCount(1);
    }
  });
});
