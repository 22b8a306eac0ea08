import { expect, test } from '@playwright/test';
import { signInViaApi } from './fixtures/auth';

/**
 * One tRPC request carries at most TRPC_MAX_BATCH (10) procedures: a larger batch is refused
 * before any runs, so one request cannot fan out into many expensive calls ("Fetch keys").
 */
test.describe('tRPC batches', () => {
  test('accepts 10 procedures in one request and refuses 11', async ({ request }) => {
    await signInViaApi(request);
    const batch = (n: number) =>
      request.get(`/api/trpc/${Array(n).fill('tenant.list').join(',')}?batch=1`);

    const ten = await batch(10);
    expect(ten.status()).toBe(200);
    expect((await ten.json()) as unknown[]).toHaveLength(10);

    const eleven = await batch(11);
    expect(eleven.status()).toBe(400);
    expect(await eleven.text()).toContain('Batch call exceeds maximum size');
  });
});
