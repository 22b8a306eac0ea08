/**
 * issue(): the RFC 9068 JWT access token (or plain JWT) a decision describes, and the RFC 8693
 * §2.2.1 response.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { issue, issuedClaims, tokenResponse } from '../src/issue';
import { TOKEN_TYPE } from '../src/token-types';
import {
  A1,
  type AppendixA,
  AS_ISSUER,
  appendixA,
  ORIGINAL_ISSUER,
  RULE_A1,
} from './fixtures/rfc8693-appendix-a';
import { expectGranted, expectRefused, SUBJECT_TOKEN_INVALID } from './helpers/expect-oauth';
import type { RuleInput } from './helpers/memory-ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const world = (rules: RuleInput[] = [RULE_A1], accessTokenTtlSeconds = 300) =>
  appendixA({ rules, accessTokenTtlSeconds });

/** Verifies an issued token with the tenant's published keys, as a resource server would. */
const verifyIssued = (w: AppendixA, token: string, typ = 'at+jwt') =>
  jwtVerify(token, createLocalJWKSet(w.keys.jwks(w.tenant)), {
    issuer: AS_ISSUER,
    typ,
    currentDate: new Date(w.clock.now()),
  });

describe('RFC 9068 §2: the issued JWT access token', () => {
  let w: AppendixA;
  beforeEach(async () => {
    w = await world();
  });

  it('has typ at+jwt and the signing key kid in its header', async () => {
    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()));
    const kid = w.keys.activeKey(w.tenant).kid;
    expect(decodeProtectedHeader(issued.response.access_token)).toEqual({
      alg: 'ES256',
      kid,
      typ: 'at+jwt',
    });
    expect(issued.kid).toBe(kid);
    const { protectedHeader } = await verifyIssued(w, issued.response.access_token);
    expect(protectedHeader.typ).toBe('at+jwt');
  });

  it('carries iss, sub, sub_id, aud, exp, iat, jti, client_id and scope (§2.2)', async () => {
    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()));
    const { payload } = await verifyIssued(w, issued.response.access_token);
    const iat = w.clock.seconds();
    expect(payload).toEqual({
      iss: AS_ISSUER,
      sub: A1.subject,
      sub_id: { format: 'iss_sub', iss: ORIGINAL_ISSUER, sub: A1.subject },
      aud: A1.audience,
      client_id: A1.client,
      scope: 'orders profile history',
      iat,
      exp: iat + 300,
      jti: issued.jti,
    });
    expect(issued.jti).toMatch(UUID);
    expect(issued.payload).toEqual(payload);
  });

  it('has aud as a string for one audience and an array for several', async () => {
    const many = await world([
      { ...RULE_A1, audiences: [A1.audience, 'https://reports.example.com'] },
    ]);
    const token = await many.a1.subjectToken();
    const one = await many.exchangeAndIssue(many.a1.request(token));
    expect(one.payload.aud).toBe(A1.audience);
    const two = await many.exchangeAndIssue(
      many.a1.request(token, { audience: [A1.audience, 'https://reports.example.com'] }),
    );
    expect(two.payload.aud).toEqual([A1.audience, 'https://reports.example.com']);
  });

  it('gets a new jti every time it is issued', async () => {
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()));
    const decision = expectGranted(result);
    const deps = { signer: w.keys, clock: w.clock.now };
    const jtis = new Set(
      await Promise.all(
        Array.from({ length: 5 }, async () => (await issue(decision, w.tenant, deps)).jti),
      ),
    );
    expect(jtis.size).toBe(5);
  });

  it('is signed with the new key after a rotation', async () => {
    const rotated = await w.keys.addTenantKey(w.tenant);
    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()));
    expect(decodeProtectedHeader(issued.response.access_token).kid).toBe(rotated.kid);
    await verifyIssued(w, issued.response.access_token);
  });
});

describe('issue() is the pure builders plus a signature', () => {
  it('signs issuedClaims() and answers tokenResponse() with the token', async () => {
    const w = await world();
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken(), { scope: 'orders' }));
    const decision = expectGranted(result);
    const issued = await issue(decision, w.tenant, { signer: w.keys, clock: w.clock.now });
    expect(issued.payload).toEqual(
      issuedClaims(decision, { iat: w.clock.seconds(), jti: issued.jti }),
    );
    expect(issued.response).toEqual(tokenResponse(decision, issued.response.access_token));
  });
});

describe('RFC 8693 §2.2.1: the response', () => {
  it('is a Bearer access token by default', async () => {
    const w = await world();
    const issued = await w.exchangeAndIssue(
      w.a1.request(await w.a1.subjectToken(), { scope: 'orders' }),
    );
    expect(issued.response).toEqual({
      access_token: expect.any(String),
      issued_token_type: TOKEN_TYPE.accessToken,
      token_type: 'Bearer',
      expires_in: 300,
    });
  });

  it('is N_A with a JOSE typ JWT for requested_token_type jwt', async () => {
    const w = await world([
      { ...RULE_A1, requestedTokenTypes: [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt] },
    ]);
    const issued = await w.exchangeAndIssue(
      w.a1.request(await w.a1.subjectToken(), {
        requested_token_type: TOKEN_TYPE.jwt,
        scope: 'orders',
      }),
    );
    expect(issued.response).toEqual({
      access_token: expect.any(String),
      issued_token_type: TOKEN_TYPE.jwt,
      token_type: 'N_A',
      expires_in: 300,
    });
    expect(decodeProtectedHeader(issued.response.access_token).typ).toBe('JWT');
    await verifyIssued(w, issued.response.access_token, 'JWT');
  });

  describe('scope is in the response only when it differs from the request', () => {
    let w: AppendixA;
    beforeEach(async () => {
      w = await world();
    });
    const respond = async (scope?: string) =>
      (await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken(), { scope }))).response;

    it('leaves it out when the granted scope is the requested one', async () => {
      expect(await respond('orders profile history')).not.toHaveProperty('scope');
    });

    it('leaves it out when only the order differs', async () => {
      expect(await respond('history orders profile')).not.toHaveProperty('scope');
    });

    it('includes it when the request named no scope', async () => {
      expect((await respond()).scope).toBe('orders profile history');
    });

    it('includes it when the scope was narrowed', async () => {
      expect((await respond('orders admin')).scope).toBe('orders');
    });
  });
});

describe('expires_in = min(tenant ttl, rule maxTtlSeconds, subject remaining lifetime)', () => {
  it('is the tenant default when nothing is shorter', async () => {
    const w = await world([RULE_A1], 300);
    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()));
    expect(issued.response.expires_in).toBe(300);
    expect(issued.payload.exp).toBe(w.clock.seconds() + 300);
  });

  it('is the rule maxTtlSeconds when shorter', async () => {
    const w = await world([{ ...RULE_A1, maxTtlSeconds: 120 }], 300);
    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()));
    expect(issued.response.expires_in).toBe(120);
    expect(issued.payload.exp).toBe(w.clock.seconds() + 120);
  });

  it('is the subject token remaining lifetime when shorter, and says so in the trace', async () => {
    const w = await world([{ ...RULE_A1, maxTtlSeconds: 120 }], 300);
    const token = await w.a1.subjectToken({ exp: w.clock.seconds() + 90 });
    const result = await w.exchange(w.a1.request(token));
    expect(expectGranted(result).ttlSeconds).toBe(90);
    expect(result.trace).toContainEqual({
      step: 'issue',
      check: 'lifetime',
      outcome: 'info',
      message: "capped at the subject token's remaining 90s",
    });
  });

  it('may outlive the subject token when the rule allows it', async () => {
    const w = await world([{ ...RULE_A1, allowBeyondSubjectExpiry: true }], 300);
    const token = await w.a1.subjectToken({ exp: w.clock.seconds() + 90 });
    const issued = await w.exchangeAndIssue(w.a1.request(token));
    expect(issued.response.expires_in).toBe(300);
  });

  it('refuses a subject token that expires within the clock skew', async () => {
    const w = await world();
    const token = await w.a1.subjectToken({ exp: w.clock.seconds() - 10 });
    expectRefused(await w.exchange(w.a1.request(token)), {
      error: 'invalid_request',
      status: 400,
      description: SUBJECT_TOKEN_INVALID,
      detail: 'subject token expires within the clock skew',
      trace: {
        step: 'issue',
        check: 'lifetime',
        message: 'the subject token expires before a token could be issued',
      },
    });
  });

  it('issues a full lifetime from such a token when the rule allows outliving it', async () => {
    const w = await world([{ ...RULE_A1, allowBeyondSubjectExpiry: true }]);
    const token = await w.a1.subjectToken({ exp: w.clock.seconds() - 10 });
    expect(expectGranted(await w.exchange(w.a1.request(token))).ttlSeconds).toBe(300);
  });
});

describe('carried claims', () => {
  it('copies the claims a rule names and never lets them override reserved ones', async () => {
    const w = await world([
      {
        ...RULE_A1,
        carryClaims: [
          'email',
          'acr',
          'department',
          'iss',
          'sub',
          'aud',
          'exp',
          'nbf',
          'iat',
          'jti',
          'act',
          'may_act',
          'scope',
          'scp',
          'client_id',
          'cnf',
        ],
      },
    ]);
    const now = w.clock.seconds();
    const token = await w.a1.subjectToken({
      email: 'bdc@example.com',
      acr: 'urn:example:mfa',
      nbf: now - 60,
      scp: ['admin'],
      client_id: 'spa-client',
      cnf: { jkt: 'attacker-thumbprint' },
      may_act: { sub: A1.client, iss: AS_ISSUER },
      jti: 'subject-jti',
    });
    const issued = await w.exchangeAndIssue(w.a1.request(token, { scope: 'orders' }));
    expect(issued.payload).toEqual({
      email: 'bdc@example.com',
      acr: 'urn:example:mfa',
      iss: AS_ISSUER,
      sub: A1.subject,
      sub_id: { format: 'iss_sub', iss: ORIGINAL_ISSUER, sub: A1.subject },
      aud: A1.audience,
      client_id: A1.client,
      scope: 'orders',
      iat: now,
      exp: now + 300,
      jti: issued.jti,
    });
    expect(issued.jti).not.toBe('subject-jti');
  });

  it('copies only claims the subject token has, never inherited object members', async () => {
    const w = await world([
      { ...RULE_A1, carryClaims: ['constructor', 'toString', '__proto__', 'email'] },
    ]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken(), { scope: 'orders' }));
    const { claims } = expectGranted(result);
    expect(Object.keys(claims).sort()).toEqual([
      'aud',
      'client_id',
      'iss',
      'scope',
      'sub',
      'sub_id',
    ]);
    expect(Object.hasOwn(claims, 'constructor')).toBe(false);
  });
});
