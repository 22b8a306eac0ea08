import { expect, test } from './fixtures/auth';

/**
 * The console's pages carry a strict Content-Security-Policy with a fresh nonce per response,
 * and the scripts Next.js renders carry that nonce (decision 0015); every other spec fails on a
 * reported violation (fixtures/auth.ts, cspGuard).
 */
const directives = (policy: string) =>
  Object.fromEntries(
    policy.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );

test.describe('security headers', () => {
  test('pages: a nonce-based CSP, framing, sniffing, referrer and opener protections', async ({
    page,
  }) => {
    const first = await page.goto('/sign-in');
    const headers = first?.headers() ?? {};
    const csp = directives(headers['content-security-policy'] ?? '');
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp['script-src'] ?? '')?.[1];
    expect(nonce, 'script-src has a nonce').toBeTruthy();
    expect(csp).toMatchObject({
      'default-src': "'self'",
      'script-src': `'self' 'nonce-${nonce}' 'strict-dynamic'`,
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(csp['script-src']).not.toContain('unsafe-inline');
    expect(csp['script-src']).not.toContain('unsafe-eval');
    expect(headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
    });

    // Next.js's own scripts carry the nonce; the page works (it hydrated: the form signs in).
    const scripts = await page
      .locator('script')
      .evaluateAll((all) => all.map((s) => (s as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((n) => n === nonce)).toBe(true);

    // A fresh nonce for every response.
    const second = await page.goto('/sign-in');
    const again = second?.headers()['content-security-policy'] ?? '';
    expect(again).not.toContain(`'nonce-${nonce}'`);
  });

  test.describe('an XSS', () => {
    // This test provokes a violation on purpose.
    test.use({ allowCspViolations: true });
    test('an injected inline script does not run', async ({ page }) => {
      await page.goto('/sign-in');
      // What an XSS would do: insert a script without the nonce.
      // What an HTML injection would do: an inline event handler, without the nonce.
      const ran = await page.evaluate(async () => {
        const w = window as unknown as { injected?: boolean };
        const blocked = new Promise<boolean>((resolve) =>
          document.addEventListener('securitypolicyviolation', () => resolve(true), {
            once: true,
          }),
        );
        const div = document.createElement('div');
        div.innerHTML = '<img src="/nowhere.png" onerror="window.injected = true">';
        document.body.append(div);
        await Promise.race([blocked, new Promise((r) => setTimeout(r, 1000))]);
        return w.injected === true;
      });
      expect(ran).toBe(false);
    });
  });

  test('the API: a policy that loads nothing', async ({ request }) => {
    const res = await request.get('/api/auth/csrf');
    expect(res.headers()['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });
});
