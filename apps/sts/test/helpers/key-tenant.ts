import type { TestIdp } from './idp';

/**
 * A tenant for the signing key tests: the gateway (which may introspect) exchanges the IdP's
 * tokens, then its own tokens again. The first hop impersonates, so that the re-exchange adds
 * the gateway to an empty chain (the same actor twice in a chain is a loop, refused).
 */
export function keyTestTenant(idp: TestIdp, secret: string, audience: string) {
  return {
    id: 'acme',
    displayName: 'Acme',
    accessTokenTtlSeconds: 300,
    clients: [
      { clientId: 'gateway', authMethod: 'client_secret_basic', secret, allowIntrospection: true },
    ],
    trustedIssuers: [idp.trusted()],
    rules: [
      {
        id: 'gateway',
        clients: ['gateway'],
        subjectIssuers: [idp.issuer],
        mode: 'impersonation',
        audiences: [audience],
        scopes: ['orders:read'],
      },
      {
        id: 'gateway-again',
        clients: ['gateway'],
        subjectIssuers: ['self'],
        mode: 'delegation',
        actors: ['client'],
        audiences: [audience],
        scopes: ['orders:read'],
        maxChainDepth: 3,
      },
    ],
  };
}
