import { consoleEnv } from '~/env';

/** The STS URLs of a tenant (its issuer is `<STS_PUBLIC_URL>/t/<id>`). */
export function issuerUrls(tenantId: string) {
  const base = consoleEnv().STS_PUBLIC_URL.replace(/\/+$/, '');
  const issuer = `${base}/t/${tenantId}`;
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks.json`,
    metadataUrl: `${base}/.well-known/oauth-authorization-server/t/${tenantId}`,
  };
}
