/** The client's page (ids may hold characters that mean something in a URL: encoded). */
export const clientPath = (tenantId: string, clientId: string) =>
  `/tenants/${encodeURIComponent(tenantId)}/clients/${encodeURIComponent(clientId)}`;
