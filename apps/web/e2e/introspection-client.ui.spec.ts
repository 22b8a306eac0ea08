import type { Page } from '@playwright/test';
import { expect, signInViaApi, test } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { deleteTenants, seedTenant } from './fixtures/seed';
import { type ExchangeAnswer, exchangeUntil } from './fixtures/sts';

/**
 * Which clients may introspect (RFC 7662 §4) is set in the client dialogs, shown on the client's
 * page, and enforced by the STS: an introspection by a client not allowed answers
 * unauthorized_client.
 */

async function introspect(
  tenantId: string,
  clientId: string,
  secret: string,
): Promise<ExchangeAnswer> {
  const res = await fetch(`${E2E.stsUrl}/t/${tenantId}/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token: 'not-a-token' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function createClient(page: Page, clientId: string, introspects: boolean): Promise<string> {
  await page.getByRole('button', { name: 'New client' }).click();
  const create = page.getByRole('dialog', { name: 'New client' });
  await create.getByLabel('Client id').fill(clientId);
  const box = create.getByLabel(/May introspect tokens/);
  await expect(box, 'off unless granted').not.toBeChecked();
  if (introspects) await box.check();
  await create.getByRole('button', { name: 'Create client' }).click();
  const dialog = page.getByRole('dialog', { name: `Secret of ${clientId}` });
  const secret = ((await dialog.getByTestId('client-secret').textContent()) ?? '').trim();
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog).toBeHidden();
  return secret;
}

test.describe('introspection permission', () => {
  let tenants: string[] = [];
  test.afterEach(async ({ request }) => {
    await signInViaApi(request);
    await deleteTenants(request, tenants);
    tenants = [];
  });

  test('granted in the new-client dialog, withdrawn in Edit…, enforced by the STS', async ({
    signedInPage: page,
  }) => {
    const tenantId = await seedTenant(page.request, 'introspect');
    tenants.push(tenantId);
    await page.goto(`/tenants/${tenantId}/clients`);
    const rs = await createClient(page, 'resource-server', true);
    const app = await createClient(page, 'plain-app', false);

    const allowed = await exchangeUntil(
      () => introspect(tenantId, 'resource-server', rs),
      (a) => a.status === 200,
      { timeoutMs: 15_000 },
    );
    expect(allowed.answer.body).toEqual({ active: false });
    const refused = await exchangeUntil(
      () => introspect(tenantId, 'plain-app', app),
      (a) => a.status !== 401,
      { timeoutMs: 15_000 },
    );
    expect(refused.answer).toEqual({
      status: 400,
      body: {
        error: 'unauthorized_client',
        error_description: 'The client may not use token introspection',
      },
    });

    // The audit shows the introspections, marked as such.
    await page.goto(`/tenants/${tenantId}/audit`);
    const refusedRow = page
      .getByTestId('audit-row')
      .filter({ hasText: 'plain-app' })
      .filter({ hasText: 'unauthorized_client' })
      .first();
    await expect(refusedRow).toContainText('introspection');
    await expect(refusedRow).toContainText('denied');
    await page.goto(`/tenants/${tenantId}/clients`);

    // The client's page says so.
    await page.getByRole('link', { name: 'resource-server', exact: true }).click();
    await expect(page.getByTestId('client-introspection')).toHaveText('allowed');
    await page.goBack();

    // Edit…: withdrawn.
    await page.getByRole('button', { name: 'Actions for resource-server', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit resource-server' });
    const box = edit.getByLabel(/May introspect tokens/);
    await expect(box).toBeChecked();
    await box.uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    const withdrawn = await exchangeUntil(
      () => introspect(tenantId, 'resource-server', rs),
      (a) => a.status === 400,
      { timeoutMs: 15_000 },
    );
    expect(withdrawn.answer.body.error).toBe('unauthorized_client');
  });
});
