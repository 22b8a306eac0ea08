import type {
  CLIENT_AUTH_METHODS,
  RuleConfig,
  SIGNING_ALGS,
  TrustedIssuerConfig,
} from './config/schema';

export type SigningAlg = (typeof SIGNING_ALGS)[number];
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** A tenant as the exchange engine sees it: the validated configuration plus its issuer URL. */
export interface Tenant {
  id: string;
  displayName: string;
  /** `<STS_PUBLIC_URL>/t/<id>` */
  issuer: string;
  accessTokenTtlSeconds: number;
  signingAlg: SigningAlg;
  trustedIssuers: TrustedIssuerConfig[];
  rules: RuleConfig[];
}

/** A client that has authenticated (or, in the console's simulator, been picked). */
export interface ExchangeClient {
  clientId: string;
  allowTokenExchange: boolean;
  /** A disabled client cannot authenticate (the simulator does not authenticate: core refuses it). */
  disabled: boolean;
}

/** A tenant's issuer: `<publicUrl>/t/<id>` (publicUrl is STS_PUBLIC_URL). */
export function tenantIssuer(publicUrl: string, tenantId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/t/${tenantId}`;
}

/** A tenant's endpoints (RFC 8414 §2, with the metadata URL of §3). */
export function tenantEndpoints(publicUrl: string, tenantId: string) {
  const issuer = tenantIssuer(publicUrl, tenantId);
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    introspectionEndpoint: `${issuer}/introspect`,
    jwksUri: `${issuer}/jwks.json`,
    metadataUrl: `${publicUrl.replace(/\/+$/, '')}/.well-known/oauth-authorization-server/t/${tenantId}`,
  };
}
