/**
 * In-memory ports for the core's unit tests: a fake upstream identity provider, a KeyResolver that
 * serves trusted issuers' keys from their inline JWKS and the tenants' own keys, a Signer, a
 * controllable clock, and a token minter that can build the malformed and hostile tokens the
 * tests need (alg none, HMAC, wrong key, jwk/jku/x5u headers).
 */
import { createHmac, randomUUID } from 'node:crypto';
import {
  base64url,
  type CompactJWSHeaderParameters,
  CompactSign,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
  SignJWT,
} from 'jose';
import type { z } from 'zod';
import { TenantSchema, type TrustedIssuerConfig } from '../../src/config/schema';
import { createKeyResolver } from '../../src/keys/key-resolver';
import { ownKeySet } from '../../src/keys/key-sets';
import { DEFAULT_LIMITS, type Limits } from '../../src/limits';
import type { ExchangeClient, Tenant } from '../../src/model';
import type { Clock, KeyResolver, Signer, VerifyKey } from '../../src/ports';
import type { FormParams } from '../../src/request/parse';

// ---------------------------------------------------------------------------------------------
// Clock

/** A clock the test moves by hand. `now` is the Clock port (milliseconds since the epoch). */
export interface TestClock {
  readonly now: Clock;
  /** Current time in whole seconds (NumericDate). */
  seconds(): number;
  set(ms: number): void;
  advance(seconds: number): void;
}

/** 2025-01-15T12:00:00Z unless told otherwise. */
export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

export function testClock(startMs: number = T0): TestClock {
  let current = startMs;
  return {
    now: () => current,
    seconds: () => Math.floor(current / 1000),
    set: (ms) => {
      current = ms;
    },
    advance: (seconds) => {
      current += seconds * 1000;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Keys

export type TestAlg = 'ES256' | 'RS256';

export interface TestKey {
  kid: string;
  alg: TestAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as published in a JWKS: kid, alg and use set; never "d". */
  publicJwk: JWK;
}

const keyCache = new Map<string, Promise<TestKey>>();

/**
 * A key pair with a kid. The same (alg, kid) gives the same key within a test file unless
 * `fresh` is set (RSA generation is slow); a test that needs a second key under a known kid, as
 * an attacker would mint, asks for a fresh one.
 */
export function generateTestKey(
  alg: TestAlg,
  kid: string,
  options: { fresh?: boolean } = {},
): Promise<TestKey> {
  if (options.fresh) return newTestKey(alg, kid);
  const id = `${alg}:${kid}`;
  let key = keyCache.get(id);
  if (!key) {
    key = newTestKey(alg, kid);
    keyCache.set(id, key);
  }
  return key;
}

async function newTestKey(alg: TestAlg, kid: string): Promise<TestKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  // The private key goes through JWK and back, as the STS loads its keys from the database.
  const privateKey = (await importJWK(await exportJWK(pair.privateKey), alg)) as CryptoKey;
  const { kty, crv, x, y, n, e } = await exportJWK(pair.publicKey);
  const publicJwk: JWK = Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e, kid, alg, use: 'sig' }).filter(([, v]) => v),
  );
  return { kid, alg, privateKey, publicKey: pair.publicKey, publicJwk };
}

const jwksOf = (keys: TestKey[]): JSONWebKeySet => ({ keys: keys.map((k) => k.publicJwk) });

// ---------------------------------------------------------------------------------------------
// Minting tokens

/** Claims with an `undefined` value are left out, so a test can drop `exp` or `sub`. */
export type Claims = Record<string, unknown>;

export interface MintOptions {
  /** The signing key (ignored for alg none and HMAC). */
  key?: TestKey;
  /** Header `alg`; defaults to the key's. "none" leaves the signature empty; HS* uses `secret`. */
  alg?: string;
  /** Extra or overriding header members: typ, kid, jwk, jku, x5u... `undefined` removes one. */
  header?: Record<string, unknown>;
  /** The HMAC secret for HS* tokens. */
  secret?: string | Uint8Array;
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

function withoutUndefined(claims: Claims): Claims {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
}

/** Builds a compact JWS with whatever header and claims a test needs. */
export async function mintJwt(claims: Claims, options: MintOptions = {}): Promise<string> {
  const payload = withoutUndefined(claims);
  const alg = options.alg ?? options.key?.alg ?? 'ES256';
  const header = withoutUndefined({ alg, kid: options.key?.kid, ...options.header });

  if (alg === 'none') return `${encodeJson(header)}.${encodeJson(payload)}.`;
  if (/^HS\d+$/.test(alg)) {
    const input = `${encodeJson(header)}.${encodeJson(payload)}`;
    const mac = createHmac(`sha${alg.slice(2)}`, options.secret ?? 'secret')
      .update(input)
      .digest();
    return `${input}.${base64url.encode(mac)}`;
  }
  if (!options.key) throw new Error(`mintJwt: alg ${alg} needs a key`);
  // CompactSign, not SignJWT: SignJWT structuredClone()s its claims, which overflows the stack on
  // the 3000-level `act` chains the tests send.
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as CompactJWSHeaderParameters)
    .sign(options.key.privateKey);
}

// ---------------------------------------------------------------------------------------------
// A fake upstream identity provider

export interface FakeIdp {
  issuer: string;
  es256: TestKey;
  rs256: TestKey;
  /** The public JWKS, inline in the tenant's trusted issuer configuration. */
  jwks: JSONWebKeySet;
  /** A trusted issuer entry for TenantSchema input. */
  trust(overrides?: Partial<TrustedIssuerInput>): TrustedIssuerInput;
  /**
   * A token from this IdP, valid now: iss, aud (the IdP's default audience), iat, exp (+10 min)
   * and jti set unless overridden. ES256 by default.
   */
  token(claims?: Claims, options?: MintOptions): Promise<string>;
  /** The RS256 public key as PEM: what an attacker uses as an HMAC secret. */
  publicPem(): Promise<string>;
}

type TenantInput = z.input<typeof TenantSchema>;
export type TrustedIssuerInput = NonNullable<TenantInput['trustedIssuers']>[number];
export type RuleInput = NonNullable<TenantInput['rules']>[number];

export async function createIdp(options: {
  issuer: string;
  clock: TestClock;
  /** Default `aud` of minted tokens; none when undefined. */
  audience?: string;
  kidPrefix?: string;
}): Promise<FakeIdp> {
  const prefix = options.kidPrefix ?? new URL(options.issuer).hostname.split('.')[0];
  const es256 = await generateTestKey('ES256', `${prefix}-es256`);
  const rs256 = await generateTestKey('RS256', `${prefix}-rs256`);
  const jwks = jwksOf([es256, rs256]);
  return {
    issuer: options.issuer,
    es256,
    rs256,
    jwks,
    trust: (overrides = {}) => ({
      issuer: options.issuer,
      jwks: jwks as TrustedIssuerInput['jwks'],
      algorithms: ['ES256', 'RS256'],
      audiences: options.audience ? [options.audience] : [],
      ...overrides,
    }),
    token: (claims = {}, mint = {}) => {
      const now = options.clock.seconds();
      return mintJwt(
        {
          iss: options.issuer,
          aud: options.audience,
          iat: now,
          exp: now + 600,
          jti: randomUUID(),
          ...claims,
        },
        { key: es256, ...mint },
      );
    },
    publicPem: () => exportSPKI(rs256.publicKey),
  };
}

// ---------------------------------------------------------------------------------------------
// The STS side: tenants' own keys, the KeyResolver and the Signer

export const STS_PUBLIC_URL = 'https://sts.example.test';

/** A Tenant as the engine sees it, from TenantSchema input (defaults applied, validated). */
export function makeTenant(overrides: Partial<TenantInput> = {}): Tenant {
  const config = TenantSchema.parse({ id: 'acme', displayName: 'Acme', ...overrides });
  return {
    id: config.id,
    displayName: config.displayName,
    issuer: `${STS_PUBLIC_URL}/t/${config.id}`,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    signingAlg: config.signingAlg,
    trustedIssuers: config.trustedIssuers,
    rules: config.rules,
  };
}

export const client = (clientId: string, allowTokenExchange = true): ExchangeClient => ({
  clientId,
  allowTokenExchange,
  disabled: false,
});

/**
 * The KeyResolver and Signer over in-memory keys. Keys are resolved by core's own
 * createKeyResolver, the one the STS and the console's simulator use: trusted issuers' keys come
 * only from their inline `jwks` (no JWKS URI is fetched here); each tenant has its own ES256 keys
 * (the first active, the others retiring). Every lookup is recorded in `lookups`.
 */
export class MemoryKeys implements KeyResolver, Signer {
  private readonly own = new Map<string, TestKey[]>();
  readonly lookups: { kind: 'issuer' | 'own'; tenant: string; header: JWSHeaderParameters }[] = [];
  private readonly resolver = createKeyResolver({
    remote: {
      key: async (uri) => {
        throw new Error(`the tests fetch no JWKS (${uri})`);
      },
    },
    ownKeys: (tenant) => ownKeySet(this.own.get(tenant.id) ?? []),
  });

  /** Gives the tenant a new active ES256 key; earlier ones keep verifying (retiring). */
  async addTenantKey(tenant: Pick<Tenant, 'id'>): Promise<TestKey> {
    const keys = this.own.get(tenant.id) ?? [];
    const key = await generateTestKey('ES256', `${tenant.id}-k${keys.length + 1}`);
    this.own.set(tenant.id, [key, ...keys]);
    return key;
  }

  /** The tenant's active signing key. */
  activeKey(tenant: Pick<Tenant, 'id'>): TestKey {
    const key = this.own.get(tenant.id)?.[0];
    if (!key) throw new Error(`tenant ${tenant.id} has no key: call addTenantKey first`);
    return key;
  }

  /** The tenant's published JWKS (active and retiring keys). */
  jwks(tenant: Pick<Tenant, 'id'>): JSONWebKeySet {
    return ownKeySet(this.own.get(tenant.id) ?? []).jwks;
  }

  issuerKey(
    tenant: Tenant,
    issuer: TrustedIssuerConfig,
    header: JWSHeaderParameters,
  ): Promise<VerifyKey | undefined> {
    this.lookups.push({ kind: 'issuer', tenant: tenant.id, header });
    return this.resolver.issuerKey(tenant, issuer, header);
  }

  ownKey(tenant: Tenant, header: JWSHeaderParameters): Promise<VerifyKey | undefined> {
    this.lookups.push({ kind: 'own', tenant: tenant.id, header });
    return this.resolver.ownKey(tenant, header);
  }

  ownAlgorithms(tenant: Tenant): string[] {
    return this.resolver.ownAlgorithms(tenant);
  }

  async sign(
    tenant: Tenant,
    payload: Record<string, unknown>,
    typ: string,
  ): Promise<{ token: string; kid: string; alg: string }> {
    const key = this.activeKey(tenant);
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
      .sign(key.privateKey);
    return { token, kid: key.kid, alg: key.alg };
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

/** FormParams from a record: arrays repeat a parameter, undefined leaves it out. */
export function form(params: Record<string, string | readonly string[] | undefined>): FormParams {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) map.set(name, typeof value === 'string' ? [value] : [...value]);
  return map;
}

export const limits = (overrides: Partial<Limits> = {}): Limits => ({
  ...DEFAULT_LIMITS,
  ...overrides,
});
