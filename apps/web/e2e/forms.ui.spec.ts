import { expect, signInViaApi, test, trpc } from './fixtures/auth';
import { deleteTenants, seedTenant } from './fixtures/seed';

/** Validation messages people can act on: next to their field, and gone once it changes. */
test.describe('form messages', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('a trusted issuer without a URL, or with a bad one, gets a message and nothing is saved', async ({
    signedInPage: page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const tenantId = await seedTenant(page.request, 'issuer-form');
    tenants.push(tenantId);
    await page.goto(`/tenants/${tenantId}/issuers`);
    await page.getByRole('button', { name: 'Add issuer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add trusted issuer' });
    const issuer = dialog.getByLabel('Issuer', { exact: true });

    await dialog.getByRole('button', { name: 'Add issuer' }).click();
    await expect(issuer).toHaveAttribute('aria-invalid', 'true');
    await expect(issuer).toHaveAccessibleDescription('Enter a URL, like https://example.com');

    await issuer.fill('not a url');
    await dialog.getByRole('button', { name: 'Add issuer' }).click();
    await expect(issuer).toHaveAccessibleDescription('Enter a URL, like https://example.com');
    await issuer.fill('https://idp.example/#top');
    await dialog.getByRole('button', { name: 'Add issuer' }).click();
    await expect(issuer).toHaveAccessibleDescription('Remove the #fragment');

    await expect(dialog).toBeVisible();
    expect(errors, 'no error in the page').toEqual([]);
    expect(await trpc<unknown[]>(page.request, 'issuer.list', { tenantId }, 'query')).toEqual([]);
  });

  test('a taken tenant id is named next to the field, and the message goes once the id changes', async ({
    signedInPage: page,
  }) => {
    const taken = await seedTenant(page.request, 'taken');
    tenants.push(taken);
    await page.goto('/tenants');
    await page.getByRole('button', { name: 'New tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tenant' });
    const id = dialog.getByLabel('Id');
    await id.fill(taken);
    await dialog.getByLabel('Display name').fill('Second');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    await expect(id).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByRole('alert')).toHaveText(
      `A tenant with id "${taken}" already exists`,
    );

    await id.fill(`${taken}-2`);
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    await expect(id).not.toHaveAttribute('aria-invalid', 'true');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    await expect(dialog).toBeHidden();
    tenants.push(`${taken}-2`);
    await expect(page.getByRole('link', { name: `${taken}-2` })).toBeVisible();
  });

  test('an empty client id is "Required", a taken one is named, and both clear on change', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'client-form');
    tenants.push(tenantId);
    await trpc(page.request, 'client.create', {
      tenantId,
      clientId: 'gateway',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
    });
    await page.goto(`/tenants/${tenantId}/clients`);
    await page.getByRole('button', { name: 'New client' }).click();
    const dialog = page.getByRole('dialog', { name: 'New client' });
    const clientId = dialog.getByLabel('Client id');
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await expect(clientId).toHaveAccessibleDescription('Required');

    await clientId.fill('gateway');
    await expect(clientId).not.toHaveAttribute('aria-invalid', 'true');
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(/gateway.*already exists/);
    await clientId.fill('gateway-2');
    await expect(dialog.getByRole('alert')).toHaveCount(0);
  });
});
