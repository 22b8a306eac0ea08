import type { CryptoKey, JWSHeaderParameters, KeyObject } from 'jose';
import type { TrustedIssuerConfig } from './config/schema';
import type { Tenant } from './model';

/** Milliseconds since the epoch. Injected so tests and the simulator control time. */
export type Clock = () => number;

/** A key that verifies a JWS: what jose's jwtVerify accepts. */
export type VerifyKey = CryptoKey | KeyObject;

/**
 * Where verification keys come from. The STS implements it with JWKS caches; tests and the
 * simulator with in-memory key sets. Implementations throw an OAuthError
 * (temporarily_unavailable) when a JWKS cannot be fetched and no cached key fits.
 */
export interface KeyResolver {
  /** The key of a trusted issuer that matches this header, or undefined when none does. */
  issuerKey(
    tenant: Tenant,
    issuer: TrustedIssuerConfig,
    header: JWSHeaderParameters,
  ): Promise<VerifyKey | undefined>;
  /** The tenant's own key (active or retiring) that matches this header. */
  ownKey(tenant: Tenant, header: JWSHeaderParameters): Promise<VerifyKey | undefined>;
  /** Algorithms the tenant's own keys use. */
  ownAlgorithms(tenant: Tenant): string[];
}

/** Signs an issued token with the tenant's active key. */
export interface Signer {
  sign(
    tenant: Tenant,
    payload: Record<string, unknown>,
    typ: string,
  ): Promise<{ token: string; kid: string; alg: string }>;
}
