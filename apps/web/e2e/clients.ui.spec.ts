import type { Page } from '@playwright/test';
import { expect, signInViaApi, test, trpc } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { deleteTenants, seedClient, seedTenant } from './fixtures/seed';
import { exchangeUntil, tokenExchange } from './fixtures/sts';

/**
 * The clients page: each row's actions in one menu, the one-time secret dialog (it asks before
 * the secret is lost; its copy buttons and curl command), and search, sorting and pages.
 */

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

  test("a row's menu edits, rotates, changes authentication, disables, enables and deletes", async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'menu');
    tenants.push(tenantId);
    const clientId = 'menu-client';
    await seedClient(page.request, tenantId, clientId, { displayName: 'Before' });
    await seedClient(page.request, tenantId, 'bystander');
    await page.goto(`/tenants/${tenantId}/clients`);
    const row = rowOf(page, clientId);
    const actions = actionsOf(page, clientId);
    await expect(row).toContainText('Before');
    // One control per row: the five actions are in its menu, not buttons of their own.
    await expect(row.getByRole('button')).toHaveCount(1);

    // Edit…: the display name.
    await actions.click();
    await expect(page.getByRole('menuitem')).toHaveText([
      'Edit…',
      'Authentication…',
      'Rotate secret…',
      'Disable',
      'Delete…',
    ]);
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${clientId}` });
    await edit.getByLabel('Display name (optional)').fill('After');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText('After');
    await expect(actions, 'focus back on the menu button').toBeFocused();

    // Rotate secret…: a new secret, shown once, that the STS accepts.
    await actions.click();
    await page.getByRole('menuitem', { name: 'Rotate secret…' }).click();
    await page
      .getByRole('dialog', { name: `Rotate the secret of ${clientId}?` })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    const secretDialog = page.getByRole('dialog', { name: `Secret of ${clientId}` });
    const secret = ((await secretDialog.getByTestId('client-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[\w-]{43}$/);
    await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
    await expect(secretDialog).toBeHidden();
    await expect(actions).toBeFocused();
    const authenticated = await exchangeUntil(
      () => tokenExchange(tenantId, {}, [clientId, secret]),
      (a) => a.status === 400,
      { timeoutMs: 15_000 },
    );
    expect(authenticated.answer.body.error, 'past client authentication').toBe('invalid_request');

    // Authentication…: to client_secret_post (the secret stays, none is shown).
    await actions.click();
    await page.getByRole('menuitem', { name: 'Authentication…' }).click();
    const auth = page.getByRole('dialog', { name: `Authentication of ${clientId}` });
    await auth.getByLabel('Authentication method').selectOption('client_secret_post');
    await auth.getByRole('button', { name: 'Save' }).click();
    await expect(auth).toBeHidden();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(row).toContainText('client_secret_post');

    // Disable, then Enable.
    await actions.click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await expect(row.getByText('disabled', { exact: true })).toBeVisible();
    await actions.click();
    await page.getByRole('menuitem', { name: 'Enable' }).click();
    await expect(row.getByText('enabled', { exact: true })).toBeVisible();

    // Delete…, confirmed.
    await actions.click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await page
      .getByRole('dialog', { name: `Delete client ${clientId}?` })
      .getByRole('button', { name: 'Delete client' })
      .click();
    await expect(row).toHaveCount(0);
    await expect(rowOf(page, 'bystander')).toBeVisible();
    const listed = await trpc<{ clientId: string; displayName: string | null }[]>(
      page.request,
      'client.list',
      { tenantId },
      'query',
    );
    expect(listed.map((c) => c.clientId)).toEqual(['bystander']);
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
    await actionsOf(page, 'post-client').click();
    await page.getByRole('menuitem', { name: 'Rotate secret…' }).click();
    await page.getByRole('button', { name: 'Rotate secret', exact: true }).click();
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

  test('searches, sorts and pages the list', async ({ signedInPage: page }) => {
    const tenantId = await seedTenant(page.request, 'list');
    tenants.push(tenantId);
    for (let n = 1; n <= 30; n++)
      await seedClient(page.request, tenantId, `client-${n}`, {
        displayName: `Client number ${n}`,
        authMethod: n % 10 === 0 ? 'client_secret_post' : 'client_secret_basic',
      });
    await trpc(page.request, 'client.setEnabled', {
      tenantId,
      clientId: 'client-17',
      enabled: false,
    });
    await page.goto(`/tenants/${tenantId}/clients`);
    const ids = page.getByTestId('client-row').getByRole('link');
    const range = page.getByTestId('list-range');
    const header = (name: string) => page.getByRole('columnheader', { name });
    const pages = page.getByRole('navigation', { name: 'Pages of clients' });

    // 25 a page, in natural order of the id.
    await expect(range).toHaveText('1–25 of 30');
    await expect(header('Client')).toHaveAttribute('aria-sort', 'ascending');
    await expect(ids).toHaveCount(25);
    await expect(ids.first()).toHaveText('client-1');
    await expect(ids.nth(1)).toHaveText('client-2');
    await expect(pages.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await pages.getByRole('button', { name: 'Next' }).click();
    await expect(range).toHaveText('26–30 of 30');
    await expect(ids).toHaveText(['client-26', 'client-27', 'client-28', 'client-29', 'client-30']);
    await expect(pages.getByRole('button', { name: 'Next' })).toBeDisabled();

    // Sorting by a header: again for the other direction; back to the first page.
    await header('Client').getByRole('button').click();
    await expect(header('Client')).toHaveAttribute('aria-sort', 'descending');
    await expect(range).toHaveText('1–25 of 30');
    await expect(ids.first()).toHaveText('client-30');
    await header('Status').getByRole('button').click();
    await expect(header('Status')).toHaveAttribute('aria-sort', 'ascending');
    await expect(header('Client')).toHaveAttribute('aria-sort', 'none');
    await expect(ids.first()).toHaveText('client-17');

    // Search as one types: ids, names and methods.
    const search = page.getByRole('searchbox', { name: 'Search clients' });
    await search.fill('client-1');
    await expect(range).toHaveText('1–11 of 11 (30 in all)');
    await expect(pages.getByRole('button', { name: 'Next' })).toHaveCount(0);
    await search.fill('number 2');
    await expect(range).toHaveText('1–12 of 12 (30 in all)');
    await search.fill('secret_post');
    await expect(ids).toHaveText(['client-10', 'client-20', 'client-30']);
    await search.fill('no such thing');
    await expect(page.getByText('No clients match “no such thing”')).toBeVisible();
    await expect(ids).toHaveCount(0);
    await search.fill('');
    await expect(range).toHaveText('1–25 of 30');
  });
});
