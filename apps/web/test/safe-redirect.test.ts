import { describe, expect, it } from 'vitest';
import { safeRedirectPath, safeRedirectUrl } from '~/lib/safe-redirect';

describe('safeRedirectPath (every redirect target the console accepts)', () => {
  it('keeps paths on the console, with their query and fragment', () => {
    expect(safeRedirectPath('/tenants/acme/clients')).toBe('/tenants/acme/clients');
    expect(safeRedirectPath('/tenants/acme/audit?view=admin#x')).toBe(
      '/tenants/acme/audit?view=admin#x',
    );
    expect(safeRedirectPath('/a/../admins')).toBe('/admins');
  });

  it.each([
    '//evil.example',
    '//evil.example/tenants',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%09/evil.example'.replace('%09', '\u0009'),
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
    `/${'a'.repeat(3000)}`,
    undefined,
    ['/tenants'],
  ])('refuses %j: the fallback', (target) => {
    expect(safeRedirectPath(target)).toBe('/tenants');
    expect(safeRedirectPath(target, '/account')).toBe('/account');
  });
});

describe('safeRedirectUrl (next-auth redirect callback)', () => {
  const base = 'http://localhost:3000';
  it('keeps URLs of the console, refuses others', () => {
    expect(safeRedirectUrl('/tenants/acme', base)).toBe('http://localhost:3000/tenants/acme');
    expect(safeRedirectUrl('http://localhost:3000/account', base)).toBe(
      'http://localhost:3000/account',
    );
    for (const url of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/tenants',
      'http://localhost:3001/x',
      'http://localhost:3000//evil.example',
      'not a url',
    ])
      expect(safeRedirectUrl(url, base)).toBe('http://localhost:3000/tenants');
  });
});
