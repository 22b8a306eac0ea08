/**
 * analyzeRules: unreachable (by itself or shadowed), conflicting and overlapping rules. The
 * shadowing claim is also checked against the engine itself: for random rule pairs and random
 * requests, whenever the analysis says A shadows B, every request B grants is granted by A too.
 */
import { describe, expect, it } from 'vitest';
import { type RuleConfig, RuleSchema } from '../src/config/schema';
import type { Tenant } from '../src/model';
import { analyzeRules, covers } from '../src/policy/analysis';
import { evaluatePolicy } from '../src/policy/engine';
import type { PolicyInput } from '../src/policy/types';
import { TOKEN_TYPE } from '../src/token-types';
import { Trace } from '../src/trace';

const IDP = 'https://idp.example';
const rule = (id: string, input: Record<string, unknown> = {}): RuleConfig =>
  RuleSchema.parse({
    id,
    clients: ['gateway'],
    subjectIssuers: [IDP],
    mode: 'delegation',
    actors: ['client'],
    audiences: ['https://orders.example'],
    scopes: ['orders:read'],
    ...input,
  });

describe('analyzeRules: unreachable', () => {
  it('finds nothing in a tidy rule set', () => {
    expect(
      analyzeRules([
        rule('orders'),
        rule('billing', { audiences: ['https://billing.example'], scopes: ['bill'] }),
      ]),
    ).toEqual([]);
  });

  it('flags a rule an earlier broader rule always decides', () => {
    const broad = rule('broad', {
      clients: ['*'],
      audiencePrefixes: ['https://orders.example/'],
      audiences: ['https://orders.example'],
      scopes: ['orders:read', 'orders:write'],
    });
    const narrow = rule('narrow', {
      clients: ['gateway'],
      audiences: ['https://orders.example/v1'],
    });
    expect(analyzeRules([broad, narrow])).toEqual([
      {
        ruleId: 'narrow',
        kind: 'unreachable',
        otherRuleId: 'broad',
        message: 'Never matches: rule broad comes first and accepts every request this rule would.',
      },
    ]);
    // The other way round, the narrow rule only takes precedence: an overlap, not dead code.
    expect(analyzeRules([narrow, broad]).map((f) => f.kind)).toEqual(['conflict']);
  });

  it('does not call a rule shadowed when any one check could still let it through', () => {
    const a = rule('a', { actors: ['client'], scopes: ['orders:read', 'x'] });
    const variants: Record<string, Record<string, unknown>> = {
      'another client': { clients: ['gateway', 'other'] },
      'any client': { clients: ['*'] },
      'another issuer': { subjectIssuers: [IDP, 'https://idp2.example'] },
      'another subject token type': { subjectTokenTypes: [TOKEN_TYPE.idToken] },
      'another issued type': { requestedTokenTypes: [TOKEN_TYPE.jwt] },
      'another actor': { actors: [{ issuer: IDP }] },
      'a deeper chain': { maxChainDepth: 2 },
      'another audience': { audiences: ['https://other.example'] },
      'a prefix': { audiencePrefixes: ['https://orders.example/'] },
      'a default audience': { defaultAudiences: ['https://orders.example'] },
      'another scope': { scopes: ['orders:write'] },
    };
    for (const [what, change] of Object.entries(variants)) {
      const b = rule('b', change);
      expect(covers(a, b), what).toBe(false);
      expect(
        analyzeRules([a, b]).some((f) => f.kind === 'unreachable'),
        what,
      ).toBe(false);
    }
    // A rule that rejects extra scope does not shadow one that narrows it.
    expect(covers(rule('a', { scopeMode: 'reject' }), rule('b'))).toBe(false);
    expect(covers(rule('a'), rule('b', { scopeMode: 'reject' }))).toBe(true);
  });

  it('needs actors covered by issuer and subjects', () => {
    const anyone = rule('a', { actors: [{ issuer: IDP }] });
    const some = rule('b', { actors: [{ issuer: IDP, subjects: ['svc'] }] });
    expect(covers(anyone, some)).toBe(true);
    expect(covers(some, anyone)).toBe(false);
    expect(covers(rule('a', { actors: [{ issuer: IDP, subjects: ['svc', 'x'] }] }), some)).toBe(
      true,
    );
    expect(covers(rule('a', { actors: [{ issuer: 'self' }] }), some)).toBe(false);
  });

  it('flags rules that can never match by themselves', () => {
    const base = rule('x');
    const findings = analyzeRules([
      { ...base, id: 'no-clients', clients: [] },
      { ...base, id: 'no-issuers', subjectIssuers: [] },
      { ...base, id: 'no-subject-types', subjectTokenTypes: [] },
      { ...base, id: 'no-issued-types', requestedTokenTypes: [] },
      { ...base, id: 'no-targets', audiences: [] },
      { ...base, id: 'no-actors', actors: [] },
      { ...base, id: 'depth-0', maxChainDepth: 0 },
    ]);
    expect(findings.map((f) => [f.ruleId, f.kind, f.message])).toEqual([
      ['no-clients', 'unreachable', 'Never matches: it names no client.'],
      ['no-issuers', 'unreachable', 'Never matches: it names no subject issuer.'],
      ['no-subject-types', 'unreachable', 'Never matches: it accepts no subject token type.'],
      ['no-issued-types', 'unreachable', 'Never matches: it may issue no token type.'],
      [
        'no-targets',
        'unreachable',
        'Never matches: it allows no audience or resource and has no default audience.',
      ],
      ['no-actors', 'unreachable', 'Never matches: a delegation rule with no allowed actor.'],
      [
        'depth-0',
        'unreachable',
        'Never matches: a delegation rule adds an actor, but its maximum chain depth is 0.',
      ],
    ]);
  });

  it('ignores disabled rules, on either side', () => {
    const broad = rule('broad', { clients: ['*'] });
    expect(analyzeRules([{ ...broad, disabled: true }, rule('b')])).toEqual([]);
    expect(analyzeRules([broad, { ...rule('b'), disabled: true }])).toEqual([]);
    expect(analyzeRules([{ ...rule('dead'), clients: [], disabled: true }])).toEqual([]);
  });
});

describe('analyzeRules: conflicts and overlaps', () => {
  it('flags delegation and impersonation for the same client, issuer and target', () => {
    const imp = rule('imp', { mode: 'impersonation', actors: [] });
    const [finding] = analyzeRules([imp, rule('del')]);
    expect(finding).toMatchObject({ ruleId: 'del', otherRuleId: 'imp', kind: 'conflict' });
    expect(finding?.message).toContain('both accept a request without an actor token');
    expect(finding?.message).toContain('such requests are impersonated');

    const [byActorToken] = analyzeRules([imp, rule('del', { actors: [{ issuer: IDP }] })]);
    expect(byActorToken?.kind).toBe('conflict');
    expect(byActorToken?.message).toContain('whether the client sends an actor token decides');
  });

  it('flags rules where the order decides between different scopes', () => {
    const [finding] = analyzeRules([
      rule('read', { clients: ['*'] }),
      rule('write', { scopes: ['orders:write'] }),
    ]);
    expect(finding).toMatchObject({ ruleId: 'write', otherRuleId: 'read', kind: 'conflict' });
    expect(finding?.message).toContain('different scopes ("orders:read" vs "orders:write")');
  });

  it('reports an overlap of the same mode and scopes, naming what differs', () => {
    const [finding] = analyzeRules([
      rule('short', { maxTtlSeconds: 60 }),
      rule('long', { clients: ['gateway', 'batch'], carryClaims: ['email'] }),
    ]);
    expect(finding).toEqual({
      ruleId: 'long',
      otherRuleId: 'short',
      kind: 'overlap',
      message:
        'Rules short and long can both match the same request; short comes first and decides it (they differ in token lifetime and carried claims).',
    });
  });

  it('finds no overlap where clients, issuers, types, targets or actors are disjoint', () => {
    const a = rule('a', { actors: [{ issuer: IDP, subjects: ['svc-a'] }] });
    for (const change of [
      { clients: ['other'] },
      { subjectIssuers: ['https://idp2.example'] },
      { subjectTokenTypes: [TOKEN_TYPE.idToken] },
      { requestedTokenTypes: [TOKEN_TYPE.jwt] },
      { audiences: ['https://billing.example'] },
      { actors: [{ issuer: IDP, subjects: ['svc-b'] }] },
      { actors: ['client'] },
    ])
      expect(analyzeRules([a, rule('b', change)]), JSON.stringify(change)).toEqual([]);
  });

  it('sees targets meet through prefixes and defaults', () => {
    const prefixed = rule('p', { audiences: [], audiencePrefixes: ['https://api.example/'] });
    expect(analyzeRules([prefixed, rule('b', { audiences: ['https://api.example/x'] })])).toEqual([
      expect.objectContaining({ kind: 'unreachable' }),
    ]);
    expect(
      analyzeRules([
        rule('d1', { audiences: ['https://a.example'], defaultAudiences: ['https://a.example'] }),
        rule('d2', {
          audiences: ['https://b.example'],
          defaultAudiences: ['https://b.example'],
          scopes: ['x'],
        }),
      ]),
    ).toEqual([expect.objectContaining({ ruleId: 'd2', kind: 'conflict' })]);
  });
});

// ---------------------------------------------------------------------------------------------
// Soundness against the engine: "A shadows B" must mean B never grants what A would not.

const TENANT_ISSUER = 'https://sts.example.test/t/acme';

/** A small deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[], min = 0): T[] => {
    const out = items.filter(() => next() < 0.5);
    return out.length >= min ? out : items.slice(0, min);
  };
  return { next, pick, some };
}

const CLIENTS = ['c1', 'c2', '*'];
const ISSUERS = [IDP, 'https://idp2.example'];
const TARGETS = ['https://a.example', 'https://a.example/x', 'https://b.example'];
const SCOPES = ['s1', 's2', 's3'];
const SUBJECT_TYPES = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt] as const;
const ISSUED_TYPES = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt] as const;

function randomRule(r: ReturnType<typeof prng>, id: string): RuleConfig {
  const mode = r.pick(['delegation', 'impersonation'] as const);
  const actorChoices: RuleConfig['actors'] = [
    'client',
    { issuer: IDP },
    { issuer: IDP, subjects: ['svc'] },
  ];
  const audiences = r.some(TARGETS);
  return {
    id,
    disabled: false,
    clients: r.some(CLIENTS, 1),
    subjectIssuers: r.some(ISSUERS, 1),
    subjectTokenTypes: r.some(SUBJECT_TYPES, 1),
    mode,
    actors: mode === 'delegation' ? [...r.some(actorChoices, 1)] : [],
    audiences,
    audiencePrefixes: r.next() < 0.3 ? ['https://a.example/'] : [],
    defaultAudiences: audiences.length > 0 && r.next() < 0.3 ? [audiences[0] as string] : [],
    scopes: r.some(SCOPES),
    scopeMode: r.pick(['narrow', 'reject'] as const),
    unscopedSubjects: r.pick(['no_scope', 'rule_scopes'] as const),
    anyHolder: r.next() < 0.5,
    maxSubjectAgeSeconds: r.pick([undefined, 60, 600]),
    impersonateDelegated: mode === 'impersonation' && r.next() < 0.5,
    allowBeyondSubjectExpiry: false,
    maxChainDepth: r.pick([1, 2]),
    carryClaims: [],
    requestedTokenTypes: r.some(ISSUED_TYPES, 1),
  };
}

function randomInput(r: ReturnType<typeof prng>): Omit<PolicyInput, 'tenant'> {
  const scopeClaim = r.next() < 0.5 ? r.some(SCOPES).join(' ') : undefined;
  const priorActor = r.next() < 0.3;
  const withActor = r.next() < 0.5;
  return {
    now: 2_000_000_000 * 1000 - r.pick([0, 100_000, 1_000_000]),
    client: { clientId: r.pick(['c1', 'c2', 'c3']), allowTokenExchange: true, disabled: false },
    request: {
      subjectToken: 'x',
      subjectTokenType: r.pick(SUBJECT_TYPES),
      requestedTokenType: r.pick(ISSUED_TYPES),
      scope: r.next() < 0.4 ? undefined : r.some(SCOPES, 1),
      audiences: r.next() < 0.3 ? [] : [r.pick(TARGETS)],
      resources: [],
    },
    subject: {
      issuer: r.pick(ISSUERS),
      sub: 'user',
      self: false,
      claims: {
        sub: 'user',
        ...(scopeClaim === undefined ? {} : { scope: scopeClaim }),
        ...(r.next() < 0.8 ? { iat: 2_000_000_000 - r.pick([0, 120, 1200, 4000]) } : {}),
      },
      act: priorActor ? { sub: 'earlier', iss: IDP } : undefined,
      expiresAt: 2_000_000_000,
      tokenType: TOKEN_TYPE.accessToken,
    },
    actorToken: withActor
      ? {
          issuer: IDP,
          sub: r.pick(['svc', 'other', 'earlier']),
          self: false,
          claims: {},
          act: undefined,
          expiresAt: 2_000_000_000,
          tokenType: TOKEN_TYPE.accessToken,
        }
      : undefined,
  };
}

const grants = (rule: RuleConfig, input: Omit<PolicyInput, 'tenant'>): boolean => {
  const tenant: Tenant = {
    id: 'acme',
    displayName: 'Acme',
    issuer: TENANT_ISSUER,
    accessTokenTtlSeconds: 300,
    signingAlg: 'ES256',
    trustedIssuers: [],
    rules: [rule],
  };
  return evaluatePolicy({ ...input, tenant }, new Trace()).ok;
};

describe('analyzeRules agrees with the engine', () => {
  it('never calls a rule shadowed when a request exists that it grants and the earlier does not', () => {
    const r = prng(8693);
    let shadowedPairs = 0;
    for (let i = 0; i < 3000; i++) {
      const a = randomRule(r, 'a');
      const b = i % 3 === 0 ? { ...a, ...narrowed(r, a), id: 'b' } : randomRule(r, 'b');
      if (!covers(a, b)) continue;
      shadowedPairs++;
      for (let j = 0; j < 60; j++) {
        const input = randomInput(r);
        if (grants(b, input)) expect(grants(a, input), JSON.stringify({ a, b, input })).toBe(true);
      }
    }
    // The generator must actually produce shadowed pairs for this to mean anything.
    expect(shadowedPairs).toBeGreaterThan(200);
  });
});

/** A rule made from `a` by narrowing some fields: often (not always) shadowed by `a`. */
function narrowed(r: ReturnType<typeof prng>, a: RuleConfig): Partial<RuleConfig> {
  const sub = <T>(items: readonly T[]) => {
    const out = items.filter(() => r.next() < 0.7);
    return out.length > 0 ? out : items.slice(0, 1);
  };
  return {
    clients: a.clients.includes('*') ? r.some(['c1', 'c2'], 1) : sub(a.clients),
    subjectIssuers: sub(a.subjectIssuers),
    subjectTokenTypes: sub(a.subjectTokenTypes),
    requestedTokenTypes: sub(a.requestedTokenTypes),
    actors: a.mode === 'delegation' ? sub(a.actors) : [],
    audiences: sub(a.audiences),
    scopes: sub(a.scopes),
    maxChainDepth: r.pick([1, a.maxChainDepth]),
    scopeMode: r.pick(['narrow', 'reject'] as const),
  };
}
