/**
 * ruleSummary: every field of a rule shows up in its plain-language summary, and the summary
 * says what the engine does (defaults included).
 */
import { describe, expect, it } from 'vitest';
import { RuleSchema } from '../src/config/schema';
import { duration, orList, ruleSummary } from '../src/policy/summary';
import { TOKEN_TYPE } from '../src/token-types';

const TENANT = { issuer: 'https://sts.example.test/t/acme', accessTokenTtlSeconds: 300 };
const rule = (input: Record<string, unknown>) =>
  RuleSchema.parse({
    id: 'r',
    clients: ['gateway'],
    subjectIssuers: ['https://idp.example'],
    mode: 'delegation',
    actors: ['client'],
    audiences: ['https://orders.example'],
    scopes: ['orders:read'],
    ...input,
  });

/** The headline and the details as one paragraph. */
function describeRule(...args: Parameters<typeof ruleSummary>): string {
  const { headline, details } = ruleSummary(...args);
  return [headline, ...details].join(' ');
}

describe('ruleSummary', () => {
  it('says who may get what for whom, and how, in one headline', () => {
    expect(ruleSummary(rule({}), TENANT).headline).toBe(
      'Client gateway may get tokens for https://orders.example with scope orders:read on behalf of users of https://idp.example, acting as itself.',
    );
  });

  it('covers the defaults of every other field', () => {
    expect(ruleSummary(rule({}), TENANT).details).toEqual([
      'A request must name an audience or resource; one that names none is refused.',
      'Scopes are further limited to those the subject token holds (a subject token without a scope claim holds none, so it gets no scope); a request for more is narrowed to what may be granted, and the granted scope is returned.',
      'Accepts access tokens or JWTs as subject tokens and issues access tokens.',
      'Issued tokens live the tenant’s 5 min, and never beyond the subject token’s expiry.',
      'Direct delegation only: a subject token that already names an actor (act) is refused. An actor that is the subject itself, or already in the chain, is refused.',
      'Issued tokens keep the subject’s sub and add sub_id (iss_sub) naming https://idp.example.',
      'No other claim of the subject token is copied.',
    ]);
  });

  it('describes the hardening options: unscoped subjects, holders, age, delegated subjects', () => {
    const text = describeRule(
      rule({
        subjectIssuers: ['self'],
        mode: 'impersonation',
        actors: [],
        unscopedSubjects: 'rule_scopes',
        anyHolder: true,
        maxSubjectAgeSeconds: 600,
        impersonateDelegated: true,
        maxChainDepth: 2,
      }),
      TENANT,
    );
    expect(text).toContain(
      '(a subject token without a scope claim may get any of the rule’s scopes)',
    );
    expect(text).toContain(
      'Any client of the rule may exchange a token this tenant issued again, whatever its aud (anyHolder).',
    );
    expect(text).toContain(
      'Subject tokens issued more than 10 min ago (by their iat), or without iat, are refused.',
    );
    expect(text).toContain(
      'A delegated subject token (one naming up to 2 actors in act) is accepted; the issued token keeps that chain unchanged, so its outermost actor is an earlier one, not the caller.',
    );
  });

  it('describes impersonation, any client, self, prefixes, defaults and every option', () => {
    const text = describeRule(
      rule({
        disabled: true,
        clients: ['*'],
        subjectIssuers: ['self', 'https://idp.example'],
        subjectTokenTypes: [TOKEN_TYPE.idToken],
        mode: 'impersonation',
        actors: [],
        audiences: ['https://a.example'],
        audiencePrefixes: ['https://api.example/'],
        defaultAudiences: ['https://a.example'],
        scopes: ['read', 'write'],
        scopeMode: 'reject',
        maxTtlSeconds: 60,
        allowBeyondSubjectExpiry: true,
        maxChainDepth: 0,
        carryClaims: ['email', 'tenant'],
        requestedTokenTypes: [TOKEN_TYPE.jwt],
      }),
      TENANT,
    );
    expect(text).toBe(
      [
        'Any client of the tenant may get JWTs for https://a.example or anything under https://api.example/ with scopes read and write',
        'on behalf of users of https://idp.example or the subjects of tokens this tenant issued (https://sts.example.test/t/acme),',
        'impersonating them: the issued token names the subject alone, with no new actor, and no actor token is accepted.',
        'Disabled: the rule is skipped when exchanges are decided.',
        'A request that names no audience or resource gets https://a.example.',
        'A token this tenant issued may be exchanged again only by its holder: a client named in its aud or its client_id.',
        'Scopes are further limited to those the subject token holds (a subject token without a scope claim holds none, so it gets no scope); a request for any scope beyond that is refused (invalid_scope).',
        'Accepts ID tokens as subject tokens and issues JWTs.',
        'Issued tokens live 1 min (this rule’s limit) and may outlive the subject token.',
        'A subject token that already names an actor (act) is refused.',
        'Issued tokens keep the subject’s sub and add sub_id (iss_sub): subjects of this tenant or https://idp.example may share a sub, so consumers must tell them apart by sub_id.',
        'Copies the subject token’s "email" and "tenant" claims into the issued token (registered claims are never copied).',
      ].join(' '),
    );
  });

  it('names actor-token issuers and subjects, several clients, and deep chains', () => {
    const { headline, details } = ruleSummary(
      rule({
        clients: ['a', 'b', 'c'],
        actors: [
          'client',
          { issuer: 'https://idp.example', subjects: ['svc-1', 'svc-2'] },
          { issuer: 'self' },
        ],
        scopes: [],
        maxChainDepth: 3,
        maxTtlSeconds: 3600,
      }),
      TENANT,
    );
    expect(headline).toBe(
      'Clients a, b or c may get tokens for https://orders.example with no scope on behalf of users of https://idp.example, acting as itself, with an actor token of svc-1 or svc-2 from https://idp.example or with an actor token of any subject from this tenant (https://sts.example.test/t/acme).',
    );
    expect(details).toContain(
      'Issued tokens carry no scope; a request that names a scope is refused (invalid_scope).',
    );
    expect(details).toContain(
      'The issued token’s actor chain may hold up to 3 actors, the new one included. An actor that is the subject itself, or already in the chain, is refused.',
    );
    expect(details).toContain(
      'Issued tokens live the tenant’s 5 min (this rule allows up to 1 h), and never beyond the subject token’s expiry.',
    );
  });

  it('says when a rule can never match', () => {
    const text = describeRule(
      { ...rule({}), actors: [], maxChainDepth: 0, audiences: [], subjectTokenTypes: [] },
      TENANT,
    );
    expect(text).toContain('but no actor may act for them (delegation needs one)');
    expect(text).toContain('for no audience (it allows none)');
    expect(text).toContain('Accepts no subject token type (the rule never matches)');
    expect(text).toContain('so this delegation rule never matches');
  });

  it('formats lists and durations', () => {
    expect(orList([])).toBe('');
    expect(orList(['a'])).toBe('a');
    expect(orList(['a', 'b'], 'and')).toBe('a and b');
    expect([duration(45), duration(120), duration(7200), duration(90)]).toEqual([
      '45 s',
      '2 min',
      '2 h',
      '90 s',
    ]);
  });
});
