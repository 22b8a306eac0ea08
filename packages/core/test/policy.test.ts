/**
 * Policy: deny by default, rules tried in order, the first whose every check passes grants
 * (docs/decisions/0005, 0006). Identity failures → invalid_request with a generic description;
 * target → invalid_target; scope → invalid_scope; each with the failing check in the trace.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_TYPE } from '../src/token-types';
import {
  A1,
  A2,
  type AppendixA,
  AS_ISSUER,
  appendixA,
  ORIGINAL_ISSUER,
  RULE_A1,
  RULE_A2,
} from './fixtures/rfc8693-appendix-a';
import {
  type ExpectedError,
  expectGranted,
  expectRefused,
  NOT_ALLOWED,
  SCOPE_NOT_ALLOWED,
  TARGET_NOT_ALLOWED,
} from './helpers/expect-oauth';
import { client, createIdp, mintJwt, type RuleInput, testClock } from './helpers/memory-ports';

/** A refusal by rule `ruleId` at `check`, with the check's own message. */
const refusedBy = (
  ruleId: string,
  check: string,
  message: string,
  error: 'invalid_request' | 'invalid_target' | 'invalid_scope' = 'invalid_request',
): ExpectedError => ({
  error,
  status: 400,
  description:
    error === 'invalid_target'
      ? TARGET_NOT_ALLOWED
      : error === 'invalid_scope'
        ? SCOPE_NOT_ALLOWED
        : NOT_ALLOWED,
  detail: `rule ${ruleId}: ${message}`,
  trace: { step: `rule:${ruleId}`, check, message },
});

const world = (rules: RuleInput[]) => appendixA({ rules });

describe('deny by default', () => {
  it('refuses every exchange when the tenant has no rule', async () => {
    const w = await world([]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()));
    expectRefused(result, {
      error: 'invalid_request',
      status: 400,
      description: NOT_ALLOWED,
      detail: 'no enabled rule',
      trace: {
        step: 'policy',
        check: 'decision',
        message: 'denied: the tenant has no enabled rule',
      },
      reason: { step: 'policy', check: 'no_rule' },
    });
  });

  it('refuses every exchange when every rule is disabled', async () => {
    const w = await world([{ ...RULE_A1, disabled: true }]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()));
    expectRefused(result, {
      error: 'invalid_request',
      status: 400,
      description: NOT_ALLOWED,
      detail: 'no enabled rule',
      trace: { step: 'policy', check: 'decision' },
      reason: { step: 'policy', check: 'no_rule' },
    });
    expect(result.trace).toContainEqual({
      step: 'rule:a1-impersonation',
      check: 'disabled',
      outcome: 'skip',
      message: 'rule is disabled',
    });
  });
});

describe('client', () => {
  it('answers unauthorized_client when the client may not use token exchange at all', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()), A1.client, {
      client: client(A1.client, false),
    });
    expectRefused(result, {
      error: 'unauthorized_client',
      status: 400,
      description: 'The client may not use token exchange',
      detail: 'client rs08 may not use token exchange',
      trace: {
        step: 'client',
        check: 'grant_type',
        message: 'client rs08 may not use token exchange',
      },
    });
  });

  it('refuses a disabled client as the STS does at authentication (invalid_client)', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()), A1.client, {
      client: { ...client(A1.client), disabled: true },
    });
    expectRefused(result, {
      error: 'invalid_client',
      status: 401,
      description: 'Client authentication failed',
      detail: 'client rs08 is disabled',
      trace: { step: 'client', check: 'disabled', message: 'client rs08 is disabled' },
    });
  });

  it('refuses a client the rule does not list', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()), 'stranger');
    expectRefused(
      result,
      refusedBy('a1-impersonation', 'client', 'client stranger is not in [rs08]'),
    );
  });

  it('lets "*" stand for any client of the tenant', async () => {
    const w = await world([{ ...RULE_A1, clients: ['*'] }]);
    expectGranted(await w.exchange(w.a1.request(await w.a1.subjectToken()), 'anyone'));
  });
});

describe('subject', () => {
  it('refuses a subject issuer the rule does not accept', async () => {
    const w = await world([{ ...RULE_A1, subjectIssuers: ['https://other-idp.example'] }]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()));
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'subject_issuer',
        `subject issuer ${ORIGINAL_ISSUER} is not in [https://other-idp.example]`,
      ),
    );
  });

  it('refuses a subject_token_type the rule does not accept', async () => {
    const w = await world([RULE_A1]);
    const idToken = await w.a1.subjectToken({}, { header: { typ: 'JWT' } });
    const result = await w.exchange(
      w.a1.request(idToken, { subject_token_type: TOKEN_TYPE.idToken }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'subject_token_type',
        `subject_token_type ${TOKEN_TYPE.idToken} is not accepted by this rule`,
      ),
    );
  });

  it('refuses a requested_token_type the rule does not issue', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { requested_token_type: TOKEN_TYPE.jwt }),
    );
    expectRefused(
      result,
      refusedBy('a1-impersonation', 'requested_token_type', `does not issue ${TOKEN_TYPE.jwt}`),
    );
  });
});

describe('mode: delegation and impersonation (docs/decisions/0006)', () => {
  it('refuses impersonation where only delegation is allowed (no actor token)', async () => {
    const w = await world([RULE_A2]);
    const request = w.a2.request(await w.a2.subjectToken(), '', {
      actor_token: undefined,
      actor_token_type: undefined,
    });
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'mode',
        'delegation needs an actor_token: this rule does not let the client act as itself',
      ),
    );
  });

  it('refuses an actor token under an impersonation rule', async () => {
    const w = await world([RULE_A1]);
    const request = w.a1.request(await w.a1.subjectToken(), {
      actor_token: await w.a2.actorToken(),
      actor_token_type: TOKEN_TYPE.jwt,
    });
    expectRefused(
      await w.exchange(request),
      refusedBy('a1-impersonation', 'mode', 'impersonation rule, but an actor_token was sent'),
    );
  });

  it('refuses an actor the rule does not list', async () => {
    const w = await world([RULE_A2]);
    const request = w.a2.request(
      await w.a2.subjectToken({ may_act: undefined }),
      await w.a2.actorToken({ sub: 'intruder@example.net' }),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'mode',
        `actor intruder@example.net from ${ORIGINAL_ISSUER} is not an allowed actor`,
      ),
    );
  });

  it('refuses an actor token from an issuer the rule does not list', async () => {
    const partner = await createIdp({
      issuer: 'https://partner-idp.example.org',
      clock: testClock(),
      audience: AS_ISSUER,
    });
    const w = await appendixA({
      rules: [RULE_A2],
      trustedIssuers: (idp) => [idp.trust(), partner.trust()],
    });
    const token = await partner.token({ sub: A2.actor, aud: AS_ISSUER });
    const result = await w.exchange(w.a2.request(await w.a2.subjectToken(), token), A2.client);
    expectRefused(
      result,
      refusedBy(
        'a2-delegation',
        'mode',
        `actor ${A2.actor} from ${partner.issuer} is not an allowed actor`,
      ),
    );
  });

  it('accepts any listed subject of the actor issuer', async () => {
    const w = await world([
      {
        ...RULE_A2,
        actors: [{ issuer: ORIGINAL_ISSUER, subjects: [A2.actor, 'ops@example.net'] }],
      },
    ]);
    const request = w.a2.request(
      await w.a2.subjectToken({ may_act: undefined }),
      await w.a2.actorToken({ sub: 'ops@example.net' }),
    );
    const decision = expectGranted(await w.exchange(request, A2.client));
    expect(decision.claims.act).toEqual({ sub: 'ops@example.net', iss: ORIGINAL_ISSUER });
  });

  it('accepts any subject of the actor issuer when the matcher lists no subjects', async () => {
    const w = await world([{ ...RULE_A2, actors: [{ issuer: ORIGINAL_ISSUER }] }]);
    const request = w.a2.request(
      await w.a2.subjectToken({ may_act: undefined }),
      await w.a2.actorToken({ sub: 'batch-job' }),
    );
    expectGranted(await w.exchange(request, A2.client));
  });

  it('lets the client act as itself under a "client" actor, naming it in act', async () => {
    const w = await world([{ ...RULE_A2, actors: ['client'] }]);
    const request = w.a2.request(await w.a2.subjectToken({ may_act: undefined }), '', {
      actor_token: undefined,
      actor_token_type: undefined,
    });
    const result = await w.exchange(request, A2.client);
    const decision = expectGranted(result);
    expect(decision.mode).toBe('delegation');
    expect(decision.claims.act).toEqual({ sub: A2.client, iss: AS_ISSUER });
    expect(result.facts.actorChain).toEqual([{ sub: A2.client, iss: AS_ISSUER }]);
  });

  it('refuses an actor token under a rule whose only actor is "client"', async () => {
    const w = await world([{ ...RULE_A2, actors: ['client'] }]);
    const request = w.a2.request(
      await w.a2.subjectToken({ may_act: undefined }),
      await w.a2.actorToken(),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'mode',
        `actor ${A2.actor} from ${ORIGINAL_ISSUER} is not an allowed actor`,
      ),
    );
  });
});

describe('may_act (RFC 8693 §4.4)', () => {
  let w: AppendixA;
  beforeEach(async () => {
    w = await world([RULE_A1, { ...RULE_A2, actors: [{ issuer: ORIGINAL_ISSUER }] }]);
  });
  const delegate = async (mayAct: unknown) =>
    w.exchange(
      w.a2.request(await w.a2.subjectToken({ may_act: mayAct }), await w.a2.actorToken()),
      A2.client,
    );

  it('accepts an actor that may_act names by sub', async () => {
    expectGranted(await delegate({ sub: A2.actor }));
  });

  it('accepts an actor that may_act names by sub and iss', async () => {
    expectGranted(await delegate({ sub: A2.actor, iss: ORIGINAL_ISSUER }));
  });

  it('refuses an actor whose sub may_act does not name', async () => {
    expectRefused(
      await delegate({ sub: 'someone-else@example.net' }),
      refusedBy(
        'a2-delegation',
        'may_act',
        `may_act does not name ${A2.actor} (${ORIGINAL_ISSUER}); without iss it names a party of ${ORIGINAL_ISSUER}`,
      ),
    );
  });

  it('reads a may_act without iss as naming a party of the subject token’s issuer (decision 0010)', async () => {
    // The actor has the sub may_act names, but another issuer: before, any issuer matched.
    const other = await world([
      { ...RULE_A2, actors: [{ issuer: ORIGINAL_ISSUER }, { issuer: 'self' }] },
    ]);
    const request = other.a2.request(
      await other.a2.subjectToken({ may_act: { sub: A2.actor } }),
      await mintJwt(
        { iss: AS_ISSUER, sub: A2.actor, exp: other.clock.seconds() + 300 },
        { key: other.keys.activeKey(other.tenant), header: { typ: 'JWT' } },
      ),
    );
    expectRefused(
      await other.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'may_act',
        `may_act does not name ${A2.actor} (${AS_ISSUER}); without iss it names a party of ${ORIGINAL_ISSUER}`,
      ),
    );
  });

  it('refuses an actor with the right sub from another issuer than may_act names', async () => {
    expectRefused(
      await delegate({ sub: A2.actor, iss: 'https://other-idp.example' }),
      refusedBy(
        'a2-delegation',
        'may_act',
        `may_act does not name ${A2.actor} (${ORIGINAL_ISSUER})`,
      ),
    );
  });

  it('refuses a may_act that is not a JSON object', async () => {
    expectRefused(
      await delegate(A2.actor),
      refusedBy('a2-delegation', 'may_act', 'may_act is not a JSON object'),
    );
  });

  it('holds for impersonation too: the client must be the party may_act names', async () => {
    const token = await w.a1.subjectToken({ may_act: { sub: A2.actor } });
    expectRefused(
      await w.exchange(w.a1.request(token)),
      refusedBy(
        'a1-impersonation',
        'may_act',
        `may_act does not name ${A1.client} (${AS_ISSUER}); without iss it names a party of ${ORIGINAL_ISSUER}`,
      ),
    );
  });
});

describe('actor loops (RFC 8693 §4.1)', () => {
  const RULE = { ...RULE_A2, actors: [{ issuer: ORIGINAL_ISSUER }], maxChainDepth: 3 };

  it('refuses an actor that is the subject itself', async () => {
    const w = await world([RULE]);
    const request = w.a2.request(
      await w.a2.subjectToken({ may_act: undefined }),
      await w.a2.actorToken({ sub: A2.subject }),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'actor_loop',
        `actor ${A2.subject} (${ORIGINAL_ISSUER}) is the subject itself`,
      ),
    );
  });

  it('refuses an actor already in the subject token’s chain', async () => {
    const w = await world([RULE]);
    const request = w.a2.request(
      await w.a2.subjectToken({
        may_act: undefined,
        act: { sub: A2.actor, iss: ORIGINAL_ISSUER, act: { sub: 'svc-0' } },
      }),
      await w.a2.actorToken(),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'actor_loop',
        `actor ${A2.actor} (${ORIGINAL_ISSUER}) is already in the subject token's actor chain`,
      ),
    );
  });

  it('refuses a subject token whose chain names its own subject', async () => {
    const w = await world([RULE]);
    const request = w.a2.request(
      await w.a2.subjectToken({ may_act: undefined, act: { sub: A2.subject } }),
      await w.a2.actorToken(),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy(
        'a2-delegation',
        'actor_loop',
        'the subject token’s actor chain names its own subject',
      ),
    );
  });

  it('accepts a new actor of another issuer with the sub of an earlier one', async () => {
    const w = await world([{ ...RULE, actors: [{ issuer: ORIGINAL_ISSUER }, { issuer: 'self' }] }]);
    const request = w.a2.request(
      await w.a2.subjectToken({
        may_act: undefined,
        act: { sub: A2.actor, iss: ORIGINAL_ISSUER },
      }),
      await mintJwt(
        { iss: AS_ISSUER, sub: A2.actor, exp: w.clock.seconds() + 300 },
        { key: w.keys.activeKey(w.tenant), header: { typ: 'JWT' } },
      ),
    );
    expectGranted(await w.exchange(request, A2.client));
  });
});

describe('subject token age (maxSubjectAgeSeconds)', () => {
  it('refuses a subject token issued longer ago than the rule allows', async () => {
    const w = await world([{ ...RULE_A1, maxSubjectAgeSeconds: 60 }]);
    const token = await w.a1.subjectToken({ iat: w.clock.seconds() - 61 });
    expectRefused(
      await w.exchange(w.a1.request(token)),
      refusedBy('a1-impersonation', 'subject_age', 'issued 61s ago, older than 60s'),
    );
    expectGranted(
      await w.exchange(w.a1.request(await w.a1.subjectToken({ iat: w.clock.seconds() - 60 }))),
    );
  });

  it('refuses a subject token without iat when the rule sets a maximum age', async () => {
    const w = await world([{ ...RULE_A1, maxSubjectAgeSeconds: 60 }]);
    const token = await w.a1.subjectToken({ iat: undefined });
    expectRefused(
      await w.exchange(w.a1.request(token)),
      refusedBy('a1-impersonation', 'subject_age', 'the subject token has no iat; maximum age 60s'),
    );
  });
});

describe('sub_id (RFC 9493, decision 0011)', () => {
  it('names the issuer of the subject, and keeps the original issuer through a re-exchange', async () => {
    const w = await world([
      RULE_A1,
      {
        id: 'self',
        clients: [A1.client],
        subjectIssuers: ['self'],
        mode: 'impersonation',
        audiences: [A1.audience],
        scopes: ['orders'],
      },
    ]);
    const first = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()), A1.client);
    expect(first.payload.sub_id).toEqual({
      format: 'iss_sub',
      iss: ORIGINAL_ISSUER,
      sub: A1.subject,
    });
    // Re-exchanged by its holder (its client_id): the subject token is this tenant's own.
    const second = await w.exchange(w.a1.request(first.response.access_token), A1.client);
    const decision = expectGranted(second);
    expect(second.facts.subject).toEqual({ iss: AS_ISSUER, sub: A1.subject });
    expect(decision.claims.sub_id).toEqual({
      format: 'iss_sub',
      iss: ORIGINAL_ISSUER,
      sub: A1.subject,
    });
  });
});

describe('actor chain depth', () => {
  it('refuses a delegation that would make the chain deeper than the rule allows', async () => {
    const w = await world([RULE_A2]);
    const request = w.a2.request(
      await w.a2.subjectToken({ act: { sub: 'earlier-service' } }),
      await w.a2.actorToken(),
    );
    expectRefused(
      await w.exchange(request, A2.client),
      refusedBy('a2-delegation', 'chain_depth', 'actor chain depth 2 exceeds 1'),
    );
  });

  it('accepts it when the rule allows the depth', async () => {
    const w = await world([{ ...RULE_A2, maxChainDepth: 2 }]);
    const request = w.a2.request(
      await w.a2.subjectToken({ act: { sub: 'earlier-service' } }),
      await w.a2.actorToken(),
    );
    expectGranted(await w.exchange(request, A2.client));
  });
});

describe('rule order', () => {
  it('skips a disabled rule and records it', async () => {
    const w = await world([{ ...RULE_A1, id: 'a1-off', disabled: true }, RULE_A1]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()));
    expect(expectGranted(result).ruleId).toBe('a1-impersonation');
    expect(result.trace).toContainEqual({
      step: 'rule:a1-off',
      check: 'disabled',
      outcome: 'skip',
      message: 'rule is disabled',
    });
  });

  it('lets the first matching rule decide', async () => {
    const w = await world([
      { ...RULE_A1, id: 'narrow-first', scopes: ['orders'] },
      { ...RULE_A1, id: 'broad-second' },
    ]);
    const decision = expectGranted(await w.exchange(w.a1.request(await w.a1.subjectToken())));
    expect(decision.ruleId).toBe('narrow-first');
    expect(decision.scope).toEqual(['orders']);
  });

  it('goes on to a later rule when an earlier one fails', async () => {
    const w = await world([RULE_A2, RULE_A1]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken()));
    expect(expectGranted(result).ruleId).toBe('a1-impersonation');
    expect(result.trace).toContainEqual(
      expect.objectContaining({ step: 'rule:a2-delegation', check: 'client', outcome: 'fail' }),
    );
  });

  it('answers with the error of the rule that got furthest', async () => {
    const w = await world([RULE_A2, RULE_A1]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { audience: 'https://evil.example' }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'target',
        'not allowed: [https://evil.example]',
        'invalid_target',
      ),
    );
  });
});

describe('target: audience and resource', () => {
  it('refuses an audience the rule does not allow with invalid_target', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { audience: 'https://evil.example' }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'target',
        'not allowed: [https://evil.example]',
        'invalid_target',
      ),
    );
  });

  it('refuses the request when any one of several targets is not allowed', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), {
        audience: [A1.audience, 'https://evil.example'],
      }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'target',
        'not allowed: [https://evil.example]',
        'invalid_target',
      ),
    );
  });

  it('allows a resource by prefix', async () => {
    const w = await world([{ ...RULE_A1, audiencePrefixes: ['https://backend.example.com/'] }]);
    const decision = expectGranted(
      await w.exchange(
        w.a1.request(await w.a1.subjectToken(), {
          audience: undefined,
          resource: 'https://backend.example.com/orders/42',
        }),
      ),
    );
    expect(decision.claims.aud).toBe('https://backend.example.com/orders/42');
  });

  it('does not let a prefix ending in "/" match another host', async () => {
    const w = await world([{ ...RULE_A1, audiencePrefixes: ['https://backend.example.com/'] }]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), {
        audience: undefined,
        resource: 'https://backend.example.com.evil.example/',
      }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'target',
        'not allowed: [https://backend.example.com.evil.example/]',
        'invalid_target',
      ),
    );
  });

  it('uses the default audiences when the request names none', async () => {
    const w = await world([{ ...RULE_A1, defaultAudiences: [A1.audience] }]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { audience: undefined }),
    );
    expect(expectGranted(result).claims.aud).toBe(A1.audience);
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        step: 'rule:a1-impersonation',
        check: 'target',
        outcome: 'pass',
        message: `no target requested: default audience [${A1.audience}]`,
      }),
    );
  });

  it('refuses with invalid_target when no target is requested and the rule has no default', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { audience: undefined }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'target',
        'no audience or resource requested and the rule has no default',
        'invalid_target',
      ),
    );
  });
});

describe('scope (docs/decisions/0005: narrow by default, reject per rule)', () => {
  it('narrows a scope beyond what is allowed, and the response must carry it', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { scope: 'orders admin' }),
    );
    const decision = expectGranted(result);
    expect(decision.scope).toEqual(['orders']);
    expect(decision.claims.scope).toBe('orders');
    expect(decision.scopeInResponse).toBe(true);
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        step: 'rule:a1-impersonation',
        check: 'scope',
        outcome: 'pass',
        message: 'narrowed to "orders" (dropped "admin")',
      }),
    );
  });

  it('refuses a scope beyond what is allowed with invalid_scope in reject mode', async () => {
    const w = await world([{ ...RULE_A1, scopeMode: 'reject' }]);
    const result = await w.exchange(
      w.a1.request(await w.a1.subjectToken(), { scope: 'orders admin' }),
    );
    expectRefused(
      result,
      refusedBy(
        'a1-impersonation',
        'scope',
        'scope beyond what is allowed: "admin"',
        'invalid_scope',
      ),
    );
  });

  it('never widens beyond the subject token own scope, even when the rule allows more', async () => {
    const w = await world([RULE_A1]);
    const token = await w.a1.subjectToken({ scope: 'orders' });
    const decision = expectGranted(
      await w.exchange(w.a1.request(token, { scope: 'orders profile history admin' })),
    );
    expect(decision.scope).toEqual(['orders']);
  });

  it('reads the subject scope from an scp array', async () => {
    const w = await world([RULE_A1]);
    const token = await w.a1.subjectToken({ scope: undefined, scp: ['orders', 'profile'] });
    const decision = expectGranted(await w.exchange(w.a1.request(token)));
    expect(decision.scope).toEqual(['orders', 'profile']);
  });

  it('reads the subject scope from a space-delimited scp string', async () => {
    const w = await world([RULE_A1]);
    const token = await w.a1.subjectToken({ scope: undefined, scp: 'orders profile' });
    const decision = expectGranted(await w.exchange(w.a1.request(token)));
    expect(decision.scope).toEqual(['orders', 'profile']);
  });

  it('treats a subject scope claim it cannot read as holding nothing (never widens)', async () => {
    const w = await world([RULE_A1]);
    const token = await w.a1.subjectToken({ scope: { orders: true } });
    const result = await w.exchange(w.a1.request(token, { scope: 'orders' }));
    expectRefused(
      result,
      refusedBy('a1-impersonation', 'scope', 'none of "orders" may be granted', 'invalid_scope'),
    );
  });

  it('refuses with invalid_scope when nothing requested can be granted', async () => {
    const w = await world([RULE_A1]);
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken(), { scope: 'admin' }));
    expectRefused(
      result,
      refusedBy('a1-impersonation', 'scope', 'none of "admin" may be granted', 'invalid_scope'),
    );
  });

  it('grants the rule scopes the subject holds when no scope is requested', async () => {
    const w = await world([RULE_A1]);
    const decision = expectGranted(await w.exchange(w.a1.request(await w.a1.subjectToken())));
    expect(decision.scope).toEqual(['orders', 'profile', 'history']);
    expect(decision.scopeInResponse).toBe(true);
  });

  it('grants no scope to a subject token without a scope claim (decision 0010)', async () => {
    const w = await world([RULE_A1]);
    const token = await w.a1.subjectToken({ scope: undefined });
    const result = await w.exchange(w.a1.request(token));
    const decision = expectGranted(result);
    expect(decision.scope).toEqual([]);
    expect(decision.claims).not.toHaveProperty('scope');
    expect(result.trace).toContainEqual({
      step: 'rule:a1-impersonation',
      check: 'scope',
      outcome: 'pass',
      message:
        'no scope requested: granting "" (the subject token has no scope claim, so it holds no scope)',
    });
    expectRefused(
      await w.exchange(w.a1.request(token, { scope: 'orders' })),
      refusedBy(
        'a1-impersonation',
        'scope',
        'none of "orders" may be granted (the subject token has no scope claim, so it holds no scope)',
        'invalid_scope',
      ),
    );
  });

  it('bounds the grant by the rule alone for an unscoped subject when the rule opts in', async () => {
    const w = await world([{ ...RULE_A1, unscopedSubjects: 'rule_scopes' }]);
    const token = await w.a1.subjectToken({ scope: undefined });
    const decision = expectGranted(await w.exchange(w.a1.request(token)));
    expect(decision.scope).toEqual(['orders', 'profile', 'history', 'admin']);
  });
});
