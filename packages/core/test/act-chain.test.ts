/**
 * Actor chains, RFC 8693 §4.1: the current actor outermost, prior actors nested inside it; only
 * identity claims in `act`; impersonation never hides an existing chain (docs/decisions/0006).
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { issue } from '../src/issue';
import { TOKEN_TYPE } from '../src/token-types';
import {
  A1,
  A2,
  AS_ISSUER,
  appendixA,
  ORIGINAL_ISSUER,
  RULE_A1,
  RULE_A2,
} from './fixtures/rfc8693-appendix-a';
import { expectGranted, expectRefused, NOT_ALLOWED } from './helpers/expect-oauth';
import type { RuleInput } from './helpers/memory-ports';

/** Services relay the user's token, each exchanging the previous hop's issued token. */
const RULE_RELAY: RuleInput = {
  id: 'relay',
  clients: ['*'],
  subjectIssuers: [ORIGINAL_ISSUER, 'self'],
  mode: 'delegation',
  actors: [{ issuer: ORIGINAL_ISSUER }],
  audiences: [A2.audience],
  scopes: ['status', 'feed'],
  maxChainDepth: 3,
  // The services relay tokens whose aud is a URN, not their client id (decision 0006).
  anyHolder: true,
};

describe('delegation', () => {
  it('names the actor in act (A.2)', async () => {
    const w = await appendixA();
    const result = await w.exchange(
      w.a2.request(await w.a2.subjectToken(), await w.a2.actorToken()),
      A2.client,
    );
    const decision = expectGranted(result);
    expect(decision.claims.act).toEqual({ sub: A2.actor, iss: ORIGINAL_ISSUER });
    expect(result.facts.actorChain).toEqual([{ sub: A2.actor, iss: ORIGINAL_ISSUER }]);
  });

  it('nests the prior chain inside the new actor, newest outermost, through three hops', async () => {
    const w = await appendixA({ rules: [RULE_RELAY] });
    const actor = (n: number) => ({ sub: `https://service${n}.example.com`, iss: ORIGINAL_ISSUER });
    const hop = async (subjectToken: string, n: number) => {
      const params = w.a2.request(subjectToken, await w.a2.actorToken({ sub: actor(n).sub }), {
        requested_token_type: undefined,
        subject_token_type: TOKEN_TYPE.accessToken,
      });
      const result = await w.exchange(params, `service${n}`);
      const issued = await issue(expectGranted(result), w.tenant, {
        signer: w.keys,
        clock: w.clock.now,
      });
      return { result, token: issued.response.access_token };
    };

    // Without anyHolder, only a holder of the token (aud or client_id) may exchange it again.
    const strict = await appendixA({ rules: [{ ...RULE_RELAY, anyHolder: false }] });
    const own = await strict.exchangeAndIssue(
      strict.a2.request(
        await strict.a2.subjectToken({ may_act: undefined }, { header: { typ: 'at+jwt' } }),
        await strict.a2.actorToken({ sub: actor(1).sub }),
        { requested_token_type: undefined, subject_token_type: TOKEN_TYPE.accessToken },
      ),
      'service1',
    );
    const notHolder = await strict.exchange(
      strict.a2.request(
        own.response.access_token,
        await strict.a2.actorToken({ sub: actor(2).sub }),
        {
          requested_token_type: undefined,
          subject_token_type: TOKEN_TYPE.accessToken,
        },
      ),
      'service2',
    );
    expectRefused(notHolder, {
      error: 'invalid_request',
      status: 400,
      description: NOT_ALLOWED,
      detail: `rule relay: client service2 holds neither the token's aud [${A2.audience}] nor its client_id`,
      trace: { step: 'rule:relay', check: 'holder' },
    });
    // The client that obtained it (its client_id) is its holder.
    expectGranted(
      await strict.exchange(
        strict.a2.request(
          own.response.access_token,
          await strict.a2.actorToken({ sub: actor(2).sub }),
          {
            requested_token_type: undefined,
            subject_token_type: TOKEN_TYPE.accessToken,
          },
        ),
        'service1',
      ),
    );

    const first = await hop(
      await w.a2.subjectToken({ may_act: undefined }, { header: { typ: 'at+jwt' } }),
      16,
    );
    const second = await hop(first.token, 77);
    const third = await hop(second.token, 26);

    expect(decodeJwt(first.token).act).toEqual(actor(16));
    expect(decodeJwt(second.token).act).toEqual({ ...actor(77), act: actor(16) });
    expect(decodeJwt(third.token)).toMatchObject({
      iss: AS_ISSUER,
      sub: A2.subject,
      act: { ...actor(26), act: { ...actor(77), act: actor(16) } },
    });
    expect(third.result.facts.actorChain).toEqual([actor(26), actor(77), actor(16)]);
    expect(third.result.facts.subject).toEqual({ iss: AS_ISSUER, sub: A2.subject });

    const fourth = await w.exchange(
      w.a2.request(third.token, await w.a2.actorToken({ sub: actor(99).sub }), {
        requested_token_type: undefined,
        subject_token_type: TOKEN_TYPE.accessToken,
      }),
      'service99',
    );
    expectRefused(fourth, {
      error: 'invalid_request',
      status: 400,
      description: NOT_ALLOWED,
      detail: 'rule relay: actor chain depth 4 exceeds 3',
      trace: { step: 'rule:relay', check: 'chain_depth', message: 'actor chain depth 4 exceeds 3' },
    });
    // A refused attempt still reports the subject's own chain, and who tried to act.
    expect(fourth.facts.actorChain).toEqual([actor(26), actor(77), actor(16)]);
    expect(fourth.facts.actor).toEqual({ sub: actor(99).sub, iss: ORIGINAL_ISSUER });
  });

  it('keeps only identity members (sub, iss, client_id) of an input act', async () => {
    const w = await appendixA({ rules: [{ ...RULE_A2, maxChainDepth: 3 }] });
    const subject = await w.a2.subjectToken({
      act: {
        sub: 'svc-1',
        iss: ORIGINAL_ISSUER,
        client_id: 'svc-1-client',
        exp: 1,
        aud: 'https://elsewhere.example',
        scope: 'admin',
        act: { sub: 'svc-0', cnf: { jkt: 'x' }, may_act: { sub: 'y' } },
      },
    });
    const decision = expectGranted(
      await w.exchange(w.a2.request(subject, await w.a2.actorToken()), A2.client),
    );
    expect(decision.claims.act).toEqual({
      sub: A2.actor,
      iss: ORIGINAL_ISSUER,
      act: { sub: 'svc-1', iss: ORIGINAL_ISSUER, client_id: 'svc-1-client', act: { sub: 'svc-0' } },
    });
  });
});

describe('impersonation', () => {
  it('refuses a delegated subject token unless the rule accepts it (decision 0006)', async () => {
    const w = await appendixA({ rules: [{ ...RULE_A1, maxChainDepth: 2 }] });
    const chain = { sub: 'svc-1', iss: ORIGINAL_ISSUER, act: { sub: 'svc-0' } };
    const message =
      'the subject token was delegated (act: svc-1 → svc-0); this impersonation rule does not accept delegated tokens';
    expectRefused(await w.exchange(w.a1.request(await w.a1.subjectToken({ act: chain }))), {
      error: 'invalid_request',
      status: 400,
      description: NOT_ALLOWED,
      detail: `rule a1-impersonation: ${message}`,
      trace: { step: 'rule:a1-impersonation', check: 'delegated_subject', message },
    });
  });

  it('with impersonateDelegated, adds no actor, keeps the chain unchanged and says so', async () => {
    const w = await appendixA({
      rules: [{ ...RULE_A1, maxChainDepth: 2, impersonateDelegated: true }],
    });
    const chain = { sub: 'svc-1', iss: ORIGINAL_ISSUER, act: { sub: 'svc-0' } };
    const result = await w.exchange(w.a1.request(await w.a1.subjectToken({ act: chain })));
    const decision = expectGranted(result);
    expect(decision.mode).toBe('impersonation');
    expect(decision.claims.act).toEqual(chain);
    expect(result.facts.actorChain).toEqual([
      { sub: 'svc-1', iss: ORIGINAL_ISSUER },
      { sub: 'svc-0' },
    ]);
    expect(result.trace).toContainEqual({
      step: 'rule:a1-impersonation',
      check: 'delegated_subject',
      outcome: 'pass',
      message:
        'the subject token was delegated (act: svc-1 → svc-0); the rule accepts it and the issued token keeps that chain unchanged, so its outermost actor (svc-1) is the earlier actor, not the caller',
    });
  });

  it('issues no act for a subject without one (A.1)', async () => {
    const w = await appendixA();
    const issued = await w.exchangeAndIssue(w.a1.request(await w.a1.subjectToken()), A1.client);
    expect(issued.payload).not.toHaveProperty('act');
  });
});
