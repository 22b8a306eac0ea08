import { randomUUID } from 'node:crypto';
import type { KeyResolver, VerifyKey } from '@sts/core';
import { type CryptoKey, generateKeyPair } from 'jose';

/** A key made for one simulation run: it signs tokens composed "as" an issuer. */
export interface SimulationKey {
  /** The issuer whose tokens it stands in for (a trusted issuer, or the tenant itself). */
  issuer: string;
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * A new key pair for an issuer, in an algorithm the issuer is accepted with. It lives in memory
 * for one run; its kid cannot name a key of the issuer's real JWKS.
 */
export async function simulationKey(issuer: string, alg: string): Promise<SimulationKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { issuer, kid: `simulation-${randomUUID()}`, alg, privateKey, publicKey };
}

/**
 * `base` (the STS's key resolver over the tenant's configuration), with the run's simulation
 * keys added for their issuers: a composed token verifies as if the issuer had signed it, while
 * every real key lookup stays what the STS does.
 */
export function withSimulationKeys(base: KeyResolver, keys: readonly SimulationKey[]): KeyResolver {
  const find = (issuer: string, header: { kid?: string; alg?: string }): VerifyKey | undefined =>
    keys.find((k) => k.issuer === issuer && k.kid === header.kid && k.alg === header.alg)
      ?.publicKey;
  return {
    async issuerKey(tenant, issuer, header) {
      return find(issuer.issuer, header) ?? base.issuerKey(tenant, issuer, header);
    },
    async ownKey(tenant, header) {
      return find(tenant.issuer, header) ?? base.ownKey(tenant, header);
    },
    ownAlgorithms(tenant) {
      const own = keys.filter((k) => k.issuer === tenant.issuer).map((k) => k.alg);
      return [...new Set([...base.ownAlgorithms(tenant), ...own])];
    },
  };
}
