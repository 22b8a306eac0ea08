import type { APIRequestContext } from '@playwright/test';
import { expect, test, trpc } from './fixtures/auth';
import { E2E } from './fixtures/env';
import { seedTenant } from './fixtures/seed';

/**
 * "Revoke" on the Keys page: a key that does not sign (here a pending one, rotated in and not yet
 * active) is revoked after a confirmation naming it; the STS drops it from the tenant's JWKS
 * within seconds. The active key offers no "Revoke" (the page says to rotate first), and the
 * server refuses it anyway.
 */

interface Key {
  kid: string;
  status: string;
}

/** The kids of the tenant's JWKS at the STS; null until the STS has loaded the tenant. */
const jwksKids = async (request: APIRequestContext, tenantId: string) => {
  const res = await request.get(`${E2E.stsUrl}/t/${tenantId}/jwks.json`);
  if (res.status() === 404) return null;
  expect(res.status()).toBe(200);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
};

test.describe('revoking a signing key', () => {
  let tenantId: string | undefined;
  test.afterEach(async ({ request }) => {
    if (tenantId)
      await trpc(request, 'tenant.delete', { tenantId, confirmTenantId: tenantId }).catch(
        () => undefined,
      );
  });

  test('a key that does not sign is revoked after a confirmation and leaves the JWKS; the active key cannot be', async ({
    signedInPage: page,
  }) => {
    tenantId = await seedTenant(page.request, 'revoke');
    // The STS makes the tenant's first key when it loads the tenant.
    await expect
      .poll(async () => (await jwksKids(page.request, tenantId as string))?.length ?? 0, {
        timeout: 10_000,
      })
      .toBe(1);
    const [activeKid] = (await jwksKids(page.request, tenantId)) ?? [];
    const active = { kid: activeKid as string };
    // Rotated in: pending (published, signing only after the pre-publication delay).
    const pending = await trpc<{ kid: string }>(page.request, 'key.rotate', { tenantId });
    await expect
      .poll(() => jwksKids(page.request, tenantId as string), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([pending.kid, active.kid]));

    await page.goto(`/tenants/${tenantId}/keys`);
    await expect(
      page.getByText('The active key cannot be revoked: rotate first, then revoke it.'),
    ).toBeVisible();
    const rows = page.getByTestId('signing-key-row');
    const activeRow = rows.filter({ hasText: active.kid });
    const pendingRow = rows.filter({ hasText: pending.kid });
    await expect(activeRow).toContainText('active');
    await expect(activeRow.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
    await expect(pendingRow).toContainText('pending');

    // On a 390 px wide phone: no sideways scroll, the button reachable.
    const revokeButton = page.getByRole('button', { name: `Revoke key ${pending.kid}` });
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await revokeButton.scrollIntoViewIfNeeded();
    await expect(revokeButton).toBeInViewport();
    if (viewport) await page.setViewportSize(viewport);

    // Cancel changes nothing.
    await revokeButton.click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this signing key now?' });
    await expect(confirm).toContainText(pending.kid);
    await expect(confirm).toContainText('This cannot be undone.');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(revokeButton).toBeFocused();
    await expect(pendingRow).toContainText('pending');

    // Confirmed, with the keyboard: revoked, and gone from the STS's JWKS.
    await revokeButton.press('Enter');
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await expect(confirm).toBeHidden();
    await expect(pendingRow).toContainText('revoked');
    await expect(pendingRow).toContainText(/revoked \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await expect(pendingRow.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
    await expect
      .poll(() => jwksKids(page.request, tenantId as string), { timeout: 10_000 })
      .not.toContain(pending.kid);
    expect(await jwksKids(page.request, tenantId)).toContain(active.kid);
    const keys = await trpc<Key[]>(page.request, 'key.list', { tenantId }, 'query');
    expect(keys.map((k) => [k.kid, k.status])).toEqual(
      expect.arrayContaining([
        [active.kid, 'active'],
        [pending.kid, 'revoked'],
      ]),
    );

    // The active key: refused by the server too, with the reason.
    const res = await page.request.post('/api/trpc/key.revoke', {
      data: { json: { tenantId, kid: active.kid } },
    });
    expect(res.status()).toBe(409);
    expect(await res.text()).toContain('rotate first');

    // Recorded as an admin action on the tenant's audit page.
    await page.goto(`/tenants/${tenantId}/audit?view=admin`);
    await expect(page.getByText('key.revoke').first()).toBeVisible();
  });
});
