import { expect, test, trpc } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { E2E_FILE_TENANTS } from './fixtures/file-tenants';

/**
 * Tenants declared in the STS configuration file are read-only in the console (decision 0023):
 * a banner on every page of the tenant says so, edit controls are gone or disabled, the server
 * refuses a change anyway, and "Detach from file" (confirmed) makes the tenant editable. The
 * e2e run's config file is the demo's plus the tenants of fixtures/file-tenants.ts.
 */
test.describe('file-managed tenants', () => {
  test('every page of the demo tenant says it is managed by the file; edit controls are off', async ({
    signedInPage: page,
  }) => {
    for (const path of ['', '/clients', '/issuers', '/rules', '/keys', '/simulator', '/audit']) {
      await page.goto(`/tenants/demo${path}`);
      await expect(page.getByTestId('file-managed-banner'), path).toContainText(
        'Managed by the configuration file.',
      );
    }

    await page.goto('/tenants/demo');
    await expect(page.getByLabel('Display name')).toBeDisabled();
    await expect(page.getByLabel('Rotate the signing key every (days)')).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
    await expect(
      page.getByText('Read-only: the configuration file manages this tenant.'),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: /Delete tenant/ })).toHaveCount(0);

    await page.goto('/tenants/demo/clients');
    await expect(page.getByRole('button', { name: /New client/ })).toHaveCount(0);
    await page.goto('/tenants/demo/rules');
    await expect(page.getByRole('link', { name: /New rule/ })).toHaveCount(0);
    // Keys are not in the file: rotation stays available.
    await page.goto('/tenants/demo/keys');
    await expect(page.getByRole('button', { name: 'Rotate now' })).toBeVisible();

    // Not only the page: the server refuses the change.
    // The start that created it is in the admin log, by the configuration file.
    await page.goto('/tenants/demo/audit?view=admin');
    const created = page.getByText('tenant.file_create');
    await expect(created.first()).toBeVisible();
    await expect(page.getByText('configuration file').first()).toBeVisible();

    await expect(
      trpc(page.request, 'tenant.update', {
        tenantId: 'demo',
        displayName: 'Changed',
        accessTokenTtlSeconds: 300,
        signingAlg: 'ES256',
      }),
    ).rejects.toThrow(/409 .*managed by the configuration file/);
  });

  test('"Detach from file" makes the tenant editable, and is recorded', async ({
    signedInPage: page,
  }) => {
    const tenantId = E2E_FILE_TENANTS.detach;
    await page.goto(`/tenants/${tenantId}/clients`);
    const banner = page.getByTestId('file-managed-banner');
    await expect(banner).toBeVisible();

    await banner.getByRole('button', { name: 'Detach from file' }).click();
    const confirm = page.getByRole('dialog', {
      name: 'Detach this tenant from the configuration file?',
    });
    await expect(confirm).toContainText('no longer applies the file');
    await confirm.getByRole('button', { name: 'Detach from file' }).click();
    await expect(confirm).toBeHidden();
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId('detached-note')).toContainText(
      'Detached from the configuration file',
    );
    await expect(page.getByRole('button', { name: /New client/ })).toBeVisible();

    await page.goto(`/tenants/${tenantId}`);
    await page.getByLabel('Display name').fill('Detached in the e2e run');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    const actions = await trpc<{ items: { action: string; actorEmail: string }[] }>(
      page.request,
      'audit.adminActions',
      { tenantId, pageSize: 25 },
      'query',
    );
    expect(actions.items.map((a) => [a.action, a.actorEmail])).toContainEqual([
      'tenant.detach',
      E2E.adminEmail,
    ]);
  });
});
