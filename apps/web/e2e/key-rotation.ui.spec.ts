import type { APIRequestContext } from '@playwright/test';
import { expect, test, trpc } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { seedTenant } from './fixtures/seed';

/**
 * "Rotate now" on the Keys page (decision 0020): the dialog says when the new key signs; the new
 * key is listed pending with its activation date, and the STS publishes it in the tenant's JWKS
 * while the current key keeps signing. The page fits a 390 px wide phone.
 */

/** The kids of the tenant's JWKS at the STS; null until the STS has loaded the tenant. */
const jwksKids = async (request: APIRequestContext, tenantId: string) => {
  const res = await request.get(`${E2E.stsUrl}/t/${tenantId}/jwks.json`);
  if (res.status() === 404) return null;
  expect(res.status()).toBe(200);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
};

const UTC_DATE = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/;

test.describe('rotating a signing key', () => {
  let tenantId: string | undefined;
  test.afterEach(async ({ request }) => {
    if (tenantId)
      await trpc(request, 'tenant.delete', { tenantId, confirmTenantId: tenantId }).catch(
        () => undefined,
      );
  });

  test('"Rotate now" adds a pending key, published now, that signs after the delay', async ({
    signedInPage: page,
  }) => {
    tenantId = await seedTenant(page.request, 'rotate');
    await expect
      .poll(async () => (await jwksKids(page.request, tenantId as string))?.length ?? 0, {
        timeout: 10_000,
      })
      .toBe(1);
    const [activeKid] = (await jwksKids(page.request, tenantId)) ?? [];

    await page.goto(`/tenants/${tenantId}/keys`);
    const rows = page.getByTestId('signing-key-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('active');

    await page.getByRole('button', { name: 'Rotate now' }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing key?' });
    // STS_KEY_PREPUBLISH_SECONDS's default: 300 s.
    await expect(confirm).toContainText('is published in the JWKS now and signs after 5 minutes');
    await confirm.getByRole('button', { name: 'Rotate now' }).click();
    await expect(confirm).toBeHidden();
    const status = page.getByRole('status').filter({ hasText: 'Rotated:' });
    await expect(status).toContainText('(in 5 minutes)');

    await expect(rows).toHaveCount(2);
    const pendingRow = rows.filter({ hasText: 'pending' });
    const activeRow = rows.filter({ hasText: activeKid as string });
    await expect(pendingRow).toContainText('in the JWKS; signs from its activation');
    await expect(pendingRow.getByTestId('key-date-created')).toContainText(UTC_DATE);
    await expect(pendingRow.getByTestId('key-date-activates')).toContainText(UTC_DATE);
    await expect(activeRow).toContainText('active');
    await expect(activeRow.getByTestId('key-date-activated')).toContainText(UTC_DATE);

    const keys = await trpc<{ kid: string; status: string; createdAt: Date; activatesAt: Date }[]>(
      page.request,
      'key.list',
      { tenantId },
      'query',
    );
    const pending = keys.find((k) => k.status === 'pending');
    expect(pending).toBeDefined();
    if (!pending) return;
    expect(pending.activatesAt.getTime() - pending.createdAt.getTime()).toBe(300_000);
    // The dates on the page are the stored ones.
    await expect(pendingRow.getByTestId('key-date-activates')).toContainText(
      `${pending.activatesAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    );

    // Published by the STS, while the current key still signs.
    await expect
      .poll(() => jwksKids(page.request, tenantId as string), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([activeKid, pending.kid]));

    // A second rotation waits for this one.
    await page.getByRole('button', { name: 'Rotate now' }).click();
    await confirm.getByRole('button', { name: 'Rotate now' }).click();
    await expect(confirm).toContainText('A new signing key is already pending');
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    // On a 390 px wide phone: no sideways scroll, the dates readable.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await pendingRow.getByTestId('key-date-activates').scrollIntoViewIfNeeded();
    await expect(pendingRow.getByTestId('key-date-activates')).toBeInViewport();
  });

  test('a rotation period set in the settings shows on the Keys page with the next rotation date', async ({
    signedInPage: page,
  }) => {
    tenantId = await seedTenant(page.request, 'schedule');
    await expect
      .poll(async () => (await jwksKids(page.request, tenantId as string))?.length ?? 0, {
        timeout: 10_000,
      })
      .toBe(1);
    await page.goto(`/tenants/${tenantId}/keys`);
    await expect(page.getByTestId('key-schedule')).toContainText('Scheduled rotation: off.');

    await page.goto(`/tenants/${tenantId}`);
    await page.getByLabel('Rotate the signing key every (days)').fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

    await page.goto(`/tenants/${tenantId}/keys`);
    await expect(page.getByTestId('key-schedule')).toContainText('every 30 days');
    const [active] = await trpc<{ activatedAt: Date }[]>(
      page.request,
      'key.list',
      { tenantId },
      'query',
    );
    const next = new Date((active?.activatedAt.getTime() ?? 0) + 30 * 86_400_000);
    await expect(page.getByTestId('key-next-rotation')).toHaveText(
      `${next.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    );
  });
});
