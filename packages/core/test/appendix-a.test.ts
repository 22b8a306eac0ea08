/**
 * RFC 8693 Appendix A end to end: exchange() decides, issue() signs, and the response and the
 * issued token's claims have the shape of the appendix's examples.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { TOKEN_TYPE } from '../src/token-types';
import { A1, A2, AS_ISSUER, appendixA, ORIGINAL_ISSUER } from './fixtures/rfc8693-appendix-a';
import { expectGranted } from './helpers/expect-oauth';

describe('RFC 8693 Appendix A', () => {
  it('A.1: the resource server exchanges the user token for a backend token (impersonation)', async () => {
    const w = await appendixA();
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()), A1.client);
    const decision = expectGranted(result);
    expect(decision).toMatchObject({ ruleId: 'a1-impersonation', mode: 'impersonation' });
    expect(result.facts).toEqual({
      tenantId: 'as-example',
      clientId: A1.client,
      subject: { iss: ORIGINAL_ISSUER, sub: A1.subject },
      // No actor token: the client presented itself.
      actor: { iss: AS_ISSUER, sub: A1.client },
      actorChain: [],
      requestedAudiences: [A1.audience],
      requestedScope: undefined,
      ruleId: 'a1-impersonation',
    });

    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()), A1.client);
    expect(issued.response).toEqual({
      access_token: expect.any(String),
      issued_token_type: TOKEN_TYPE.accessToken,
      token_type: 'Bearer',
      expires_in: 300,
      scope: A1.subjectScope,
    });
    const { payload } = await jwtVerify(
      issued.response.access_token,
      createLocalJWKSet(w.keys.jwks(w.tenant)),
      { issuer: AS_ISSUER, audience: A1.audience, currentDate: new Date(w.clock.now()) },
    );
    expect(payload).toMatchObject({
      iss: AS_ISSUER,
      sub: A1.subject,
      aud: A1.audience,
      scope: A1.subjectScope,
    });
    expect(payload).not.toHaveProperty('act');
  });

  it('A.2: the admin acts for the user, named in act, as allowed by may_act (delegation)', async () => {
    const w = await appendixA();
    const request = w.a2.request(await w.a2.subjectToken(), await w.a2.actorToken());
    const result = await w.exchange(request, A2.client);
    expect(expectGranted(result)).toMatchObject({ ruleId: 'a2-delegation', mode: 'delegation' });
    expect(result.trace).toContainEqual({
      step: 'rule:a2-delegation',
      check: 'may_act',
      outcome: 'pass',
      message: `may_act names ${A2.actor}`,
    });

    const issued = await w.exchangeAndIssue(request, A2.client);
    expect(issued.response).toEqual({
      access_token: expect.any(String),
      issued_token_type: TOKEN_TYPE.jwt,
      token_type: 'N_A',
      expires_in: 300,
      scope: A2.subjectScope,
    });
    const { payload, protectedHeader } = await jwtVerify(
      issued.response.access_token,
      createLocalJWKSet(w.keys.jwks(w.tenant)),
      { issuer: AS_ISSUER, audience: A2.audience, currentDate: new Date(w.clock.now()) },
    );
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload).toMatchObject({
      aud: A2.audience,
      iss: AS_ISSUER,
      scope: A2.subjectScope,
      sub: A2.subject,
      act: { sub: A2.actor, iss: ORIGINAL_ISSUER },
    });
  });
});
