import type { Page } from '@playwright/test';
import { expect, signInViaApi, test, trpc } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { deleteTenants, seedClient, seedTenant } from './fixtures/seed';
import { exchangeUntil, tokenExchange } from './fixtures/sts';

/** The clients page: the one-time secret dialog (it asks before the secret is lost; its copy
 * buttons and curl command). */

const rowOf = (page: Page, clientId: string) =>
  page.getByTestId('client-row').filter({
    has: page.getByRole('link', { name: clientId, exact: true }),
  });
const actionsOf = (page: Page, clientId: string) =>
  page.getByRole('button', { name: `Actions for ${clientId}`, exact: true });
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test.describe('clients page', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('the secret dialog asks before the secret is lost, and copies what the client needs', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'secret');
    tenants.push(tenantId);
    const tokenEndpoint = `${E2E.stsUrl}/t/${tenantId}/token`;
    await page.goto(`/tenants/${tenantId}/clients`);

    // A new client_secret_basic client: its secret, once.
    await page.getByRole('button', { name: 'New client' }).click();
    const create = page.getByRole('dialog', { name: 'New client' });
    await create.getByLabel('Client id').fill('basic-client');
    await create.getByRole('button', { name: 'Create client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Secret of basic-client' });
    const secret = ((await dialog.getByTestId('client-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[\w-]{43}$/);

    // Escape asks first; going back keeps the secret on screen.
    const ask = page.getByRole('alertdialog', { name: 'Close without the secret?' });
    await page.keyboard.press('Escape');
    await expect(ask).toContainText('You will not be able to see this secret again');
    await ask.getByRole('button', { name: 'Back to the secret' }).click();
    await expect(ask).toBeHidden();
    await expect(dialog.getByTestId('client-secret')).toHaveText(secret);
    // So does a click outside it.
    await page.mouse.click(3, 3);
    await expect(ask).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(ask).toBeHidden();
    await expect(dialog).toBeVisible();

    // The copy buttons: the secret; the id and the secret; a curl command with Basic credentials.
    await dialog.getByRole('button', { name: 'Copy secret' }).click();
    expect(await clipboard(page)).toBe(secret);
    await dialog.getByRole('button', { name: 'Copy client id and secret' }).click();
    expect(await clipboard(page)).toBe(`client_id=basic-client\nclient_secret=${secret}\n`);
    await dialog.getByRole('button', { name: 'Copy curl command' }).click();
    const curl = await clipboard(page);
    expect(curl).toContain(`curl -sS -X POST '${tokenEndpoint}'`);
    expect(curl).toContain(`--user 'basic-client:${secret}'`);
    expect(curl).toContain("--data-urlencode 'subject_token=<subject token>'");
    expect(curl).toContain(
      "--data-urlencode 'subject_token_type=urn:ietf:params:oauth:token-type:access_token'",
    );
    expect(curl).not.toContain('client_secret=');
    await expect(dialog.getByRole('region', { name: 'curl command' })).toHaveText(curl);

    // Closing anyway: the secret is gone from the page.
    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Close anyway' }).click();
    await expect(dialog).toBeHidden();
    expect(await page.content()).not.toContain(secret);

    // A client_secret_post client's rotated secret goes in the form, not in --user.
    await seedClient(page.request, tenantId, 'post-client', { authMethod: 'client_secret_post' });
    await page.reload();
    await page
      .getByTestId('client-row')
      .filter({ hasText: 'post-client' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    await page
      .getByRole('dialog', { name: 'Rotate the secret of post-client?' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    const rotated = page.getByRole('dialog', { name: 'Secret of post-client' });
    const newSecret = ((await rotated.getByTestId('client-secret').textContent()) ?? '').trim();
    await rotated.getByRole('button', { name: 'Copy curl command' }).click();
    const postCurl = await clipboard(page);
    expect(postCurl).toContain(`curl -sS -X POST '${tokenEndpoint}'`);
    expect(postCurl).toContain("--data-urlencode 'client_id=post-client'");
    expect(postCurl).toContain(`--data-urlencode 'client_secret=${newSecret}'`);
    expect(postCurl).not.toContain('--user');
    // "I have copied it" is the confirmation: it closes without asking.
    await rotated.getByRole('button', { name: 'I have copied it' }).click();
    await expect(rotated).toBeHidden();
    await expect(ask).toHaveCount(0);
  });
});
