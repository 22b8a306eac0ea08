import { expect, test } from '@playwright/test';
import { signInViaApi, trpc } from './fixtures/auth';

test.describe('console API over HTTP', () => {
  test('refuses signed-out tRPC calls with 401 and no data', async ({ request }) => {
    const res = await request.get('/api/trpc/tenant.list');
    expect(res.status()).toBe(401);
    expect(await res.text()).not.toContain('demo');
    expect(res.headers()['cache-control']).toContain('no-store');
  });

  test('sends framing and sniffing protections', async ({ request }) => {
    const res = await request.get('/sign-in');
    expect(res.headers()['x-frame-options']).toBe('DENY');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['x-powered-by']).toBeUndefined();
  });

  test('signs in through next-auth and lists tenants', async ({ request }) => {
    await signInViaApi(request);
    const tenants = await trpc<{ id: string }[]>(request, 'tenant.list', undefined, 'query');
    expect(tenants.map((t) => t.id)).toContain('demo');
  });
});
