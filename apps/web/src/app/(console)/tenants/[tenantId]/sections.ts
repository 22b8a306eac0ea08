/** A tenant's sections, as its navigation lists them: `href` under `/tenants/<tenant>`. */
export const TENANT_SECTIONS = [
  { href: '', label: 'Overview' },
  { href: '/clients', label: 'Clients' },
  { href: '/issuers', label: 'Trusted issuers' },
  { href: '/rules', label: 'Rules' },
  { href: '/simulator', label: 'Simulator' },
  { href: '/keys', label: 'Signing keys' },
  { href: '/audit', label: 'Audit' },
] as const;

export const tenantPath = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}`;

/**
 * The tenant and the section a console path is in (`/tenants/acme/clients/gateway`: acme,
 * "/clients"), or null outside a tenant's pages.
 */
export function tenantSectionOf(pathname: string): { tenantId: string; section: string } | null {
  const match = /^\/tenants\/([^/]+)(\/[^/]+)?/.exec(pathname);
  if (!match?.[1]) return null;
  const section = TENANT_SECTIONS.find((s) => s.href !== '' && s.href === match[2])?.href ?? '';
  return { tenantId: decodeURIComponent(match[1]), section };
}
