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
}
