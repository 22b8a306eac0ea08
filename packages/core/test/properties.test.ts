/**
 * Property tests of exchange() + issue() with real keys (SECURITY.md: scope never widened,
 * audience only as allowed, lifetime capped, act chains, deny by default). fast-check generates
 * tenants (rules in order), subject and actor tokens and requests; whatever it generates, a
 * granted exchange must stay within what the deciding rule and the subject token allow, and an
 * exchange no rule could grant must be refused. A failure prints its seed: replay it as
 * test/helpers/fast-check.ts says.
 */
import fc from 'fast-check';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RuleConfig } from '../src/config/schema';
import { exchange } from '../src/exchange';
import { issue } from '../src/issue';
import type { Tenant } from '../src/model';
import { TOKEN_TYPE } from '../src/token-types';
import { type ActClaim, actorChain } from '../src/validators/act';
import { propertyParameters } from './helpers/fast-check';
import {
  client,
  createIdp,
  type FakeIdp,
  form,
  limits,
  MemoryKeys,
  makeTenant,
  mintJwt,
  type RuleInput,
  STS_PUBLIC_URL,
  testClock,
} from './helpers/memory-ports';

const TENANT_ID = 'props';
const TENANT_ISSUER = `${STS_PUBLIC_URL}/t/${TENANT_ID}`;
const USER_ISSUER = 'https://users.example.test';
const AGENT_ISSUER = 'https://agents.example.test';

const CLIENTS = ['c1', 'c2', 'c3'] as const;
const SCOPES = ['read', 'write', 'admin', 'email', 'profile'] as const;
const AUDIENCES = [
  'https://api.example.test/orders',
  'https://api.example.test/billing',
  'urn:example:mail',
  'https://other.example.test',
] as const;
const PREFIXES = ['https://api.example.test/', 'urn:example:'] as const;
const SUBJECTS = ['alice', 'bob'] as const;
const AGENTS = ['agent-1', 'agent-2'] as const;
const SUBJECT_TYPES = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt] as const;
const ISSUABLE = [TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt] as const;

const clock = testClock();
const now = () => clock.seconds();
let users: FakeIdp;
let agents: FakeIdp;

beforeAll(async () => {
  users = await createIdp({ issuer: USER_ISSUER, clock, audience: TENANT_ISSUER });
  agents = await createIdp({ issuer: AGENT_ISSUER, clock, audience: TENANT_ISSUER });
});

// ---------------------------------------------------------------------------------------------
// Arbitraries

const subsetOf = <T>(values: readonly T[], min = 0) => fc.subarray([...values], { minLength: min });
/** `usual` three times in four, else anything `other` generates: keeps grants frequent. */
const mostly = <T>(usual: T, other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: other });

/** A rule that TenantSchema accepts: delegation has actors, defaults are allowed targets. */
const ruleArb = (id: string): fc.Arbitrary<RuleInput> =>
  fc
    .record({
      disabled: mostly(false, fc.boolean()),
      clients: mostly(['*'], subsetOf(CLIENTS, 1)),
      subjectIssuers: mostly([USER_ISSUER, 'self'], subsetOf([USER_ISSUER, 'self'], 1)),
      subjectTokenTypes: mostly([...SUBJECT_TYPES], subsetOf(SUBJECT_TYPES, 1)),
      mode: fc.constantFrom('delegation' as const, 'impersonation' as const),
      actors: mostly<RuleInput['actors']>(
        ['client', { issuer: AGENT_ISSUER }],
        subsetOf(
          [
            'client' as const,
            { issuer: AGENT_ISSUER },
            { issuer: AGENT_ISSUER, subjects: ['agent-1'] },
          ],
          1,
        ),
      ),
      audiences: mostly([...AUDIENCES.slice(0, 3)], subsetOf(AUDIENCES)),
      audiencePrefixes: subsetOf(PREFIXES),
      defaultAudiences: mostly([AUDIENCES[0]], subsetOf(AUDIENCES)),
      scopes: mostly([...SCOPES.slice(0, 3)], subsetOf(SCOPES)),
      scopeMode: fc.constantFrom('narrow' as const, 'reject' as const),
      maxTtlSeconds: fc.option(fc.integer({ min: 1, max: 7200 }), { nil: undefined }),
      allowBeyondSubjectExpiry: fc.boolean(),
      maxChainDepth: mostly(5, fc.integer({ min: 0, max: 5 })),
      requestedTokenTypes: mostly([...ISSUABLE], subsetOf(ISSUABLE, 1)),
    })
    .map((r) => ({
      id,
      ...r,
      actors: r.mode === 'delegation' ? r.actors : [],
      defaultAudiences: r.defaultAudiences.filter(
        (a) => r.audiences.includes(a) || r.audiencePrefixes.some((p) => a.startsWith(p)),
      ),
    }));

const tenantArb = fc.record({
  accessTokenTtlSeconds: fc.integer({ min: 1, max: 3600 }),
  rules: fc
    .oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) },
    )
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(`r${i}`)))),
});

/** An `act` claim of up to four prior actors (issuer optional), or none. */
const actArb: fc.Arbitrary<ActClaim | undefined> = fc
  .array(
    fc.record({
      sub: fc.constantFrom('svc-a', 'svc-b', 'agent-1', 'c1'),
      iss: fc.option(fc.constantFrom(AGENT_ISSUER, TENANT_ISSUER), { nil: undefined }),
    }),
    { maxLength: 4 },
  )
  .map((chain) =>
    chain.reduceRight<ActClaim | undefined>(
      (inner, a) => ({
        sub: a.sub,
        ...(a.iss ? { iss: a.iss } : {}),
        ...(inner ? { act: inner } : {}),
      }),
      undefined,
    ),
  );

const subjectArb = fc.record({
  /** Who signed it: the upstream IdP, or this tenant (a token exchanged again). */
  from: fc.constantFrom('users' as const, 'self' as const),
  sub: fc.constantFrom(...SUBJECTS),
  /** The subject token's scope: a string, an `scp` array, or no claim at all. */
  scope: mostly<{ values: string[]; as: 'scope' | 'scp' } | undefined>(
    { values: [...SCOPES], as: 'scope' },
    fc.option(
      fc.record({
        values: subsetOf(SCOPES),
        as: fc.constantFrom('scope' as const, 'scp' as const),
      }),
      { nil: undefined },
    ),
  ),
  act: actArb,
  /** Seconds until it expires (within the clock skew for the smallest values). */
  expiresIn: fc.integer({ min: 1, max: 7200 }),
  tokenType: fc.constantFrom(...SUBJECT_TYPES),
  mayAct: mostly<string | undefined>(undefined, fc.constantFrom('agent-1', 'agent-2', 'c1', 'c2')),
});

const requestArb = fc.record({
  clientId: fc.constantFrom(...CLIENTS),
  audience: mostly<string[]>(
    [],
    subsetOf([...AUDIENCES, 'https://api.example.test/orders/x', 'urn:other:y']),
  ),
  resource: mostly<string[]>(
    [],
    subsetOf(['https://api.example.test/billing', 'https://evil.example.test/']),
  ),
  scope: fc.option(subsetOf([...SCOPES, 'root'], 1), { nil: undefined }),
  requestedTokenType: fc.option(fc.constantFrom(...ISSUABLE), { nil: undefined }),
  actor: fc.option(fc.constantFrom(...AGENTS), { nil: undefined, freq: 2 }),
});

type SubjectCase = typeof subjectArb extends fc.Arbitrary<infer T> ? T : never;
type RequestCase = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// Running one case

async function world(input: TenantCase) {
  const tenant = makeTenant({
    id: TENANT_ID,
    accessTokenTtlSeconds: input.accessTokenTtlSeconds,
    // Audiences always configured: the invariants hold whatever "no audiences" means.
    trustedIssuers: [
      users.trust({ audiences: [TENANT_ISSUER], algorithms: ['ES256'] }),
      agents.trust({ audiences: [TENANT_ISSUER], algorithms: ['ES256'] }),
    ],
    rules: input.rules,
  });
  const keys = new MemoryKeys();
  await keys.addTenantKey(tenant);
  return { tenant, keys };
}
type TenantCase = typeof tenantArb extends fc.Arbitrary<infer T> ? T : never;

async function subjectToken(s: SubjectCase, tenant: Tenant, keys: MemoryKeys): Promise<string> {
  const claims: Record<string, unknown> = {
    sub: s.sub,
    iat: now() - 60,
    exp: now() + s.expiresIn,
    act: s.act,
    may_act: s.mayAct === undefined ? undefined : { sub: s.mayAct },
  };
  if (s.scope)
    claims[s.scope.as] = s.scope.as === 'scope' ? s.scope.values.join(' ') : s.scope.values;
  const typ = s.tokenType === TOKEN_TYPE.accessToken ? 'at+jwt' : 'JWT';
  if (s.from === 'users') return users.token(claims, { header: { typ } });
  return mintJwt(
    {
      iss: tenant.issuer,
      aud: 'https://api.example.test/orders',
      client_id: 'c1',
      jti: crypto.randomUUID(),
      ...claims,
    },
    { key: keys.activeKey(tenant), header: { typ } },
  );
}

function params(r: RequestCase, subject: SubjectCase, subjectJwt: string, actorJwt?: string) {
  return form({
    subject_token: subjectJwt,
    subject_token_type: subject.tokenType,
    audience: r.audience,
    resource: r.resource,
    scope: r.scope?.join(' '),
    requested_token_type: r.requestedTokenType,
    actor_token: actorJwt,
    actor_token_type: actorJwt ? TOKEN_TYPE.accessToken : undefined,
  });
}

/** The subject token's scopes as the rule's scope check reads them; undefined without a claim. */
const heldScopes = (s: SubjectCase): string[] | undefined => s.scope?.values;

/**
 * Could this rule ever grant this request? Only what no policy change may relax: the rule is
 * enabled, lists the client, accepts the subject's issuer and token type and may issue the
 * requested type.
 */
function couldGrant(rule: RuleConfig, r: RequestCase, s: SubjectCase): boolean {
  const issuer = s.from === 'self' ? 'self' : USER_ISSUER;
  return (
    !rule.disabled &&
    (rule.clients.includes('*') || rule.clients.includes(r.clientId)) &&
    rule.subjectIssuers.includes(issuer) &&
    (rule.subjectTokenTypes as string[]).includes(s.tokenType) &&
    (rule.requestedTokenTypes as string[]).includes(r.requestedTokenType ?? TOKEN_TYPE.accessToken)
  );
}

const allowsTarget = (rule: RuleConfig, target: string) =>
  rule.audiences.includes(target) || rule.audiencePrefixes.some((p) => target.startsWith(p));

// ---------------------------------------------------------------------------------------------

describe('exchange() and issue(), whatever the request', () => {
  const parameters = propertyParameters<[TenantCase, SubjectCase, RequestCase]>(300);
  // A few milliseconds a run, with room for slow machines and long runs (FC_RUNS).
  const timeout = Math.max(20_000, (parameters.numRuns ?? 300) * 20);

  it('grant only within the rule and the subject token, deny when no rule could grant', {
    timeout,
  }, async () => {
    let granted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(tenantArb, subjectArb, requestArb, async (t, s, r) => {
        const { tenant, keys } = await world(t);
        const subjectJwt = await subjectToken(s, tenant, keys);
        const actorJwt = r.actor
          ? await agents.token({ sub: r.actor }, { header: { typ: 'at+jwt' } })
          : undefined;
        const result = await exchange(params(r, s, subjectJwt, actorJwt), {
          tenant,
          client: client(r.clientId),
          keys,
          clock: clock.now,
          limits: limits(),
        });

        // Deny by default: with no rule that could grant, nothing is granted.
        if (!tenant.rules.some((rule) => couldGrant(rule, r, s))) {
          expect(result.ok).toBe(false);
        }
        if (!result.ok) {
          refused++;
          expect(result.error.status).toBeLessThan(500);
          return;
        }
        granted++;
        const { decision } = result;
        const rule = tenant.rules.find((x) => x.id === decision.ruleId) as RuleConfig;
        expect(rule).toBeDefined();
        expect(couldGrant(rule, r, s)).toBe(true);

        const issued = await issue(decision, tenant, { signer: keys, clock: clock.now });
        const token = issued.response.access_token;
        // The token is the tenant's, signed with its key.
        const { payload } = await jwtVerify(token, createLocalJWKSet(keys.jwks(tenant)), {
          issuer: tenant.issuer,
          currentDate: new Date(clock.now()),
        });
        expect(payload).toEqual(decodeJwt(token));

        // Scope ⊆ the rule's scopes ∩ the subject token's (∩ the request's, when it names any).
        const scope = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
        expect(scope).toEqual(decision.scope);
        for (const value of scope) {
          expect(rule.scopes).toContain(value);
          const held = heldScopes(s);
          if (held) expect(held).toContain(value);
          if (r.scope) expect(r.scope).toContain(value);
        }
        if (issued.response.scope !== undefined)
          expect(issued.response.scope.split(' ')).toEqual(scope);

        // Audiences ⊆ what the rule allows, never empty.
        const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        expect(aud.length).toBeGreaterThan(0);
        for (const a of aud) expect(allowsTarget(rule, a as string)).toBe(true);
        const requested = [...r.audience, ...r.resource];
        if (requested.length > 0) for (const a of aud) expect(requested).toContain(a);

        // Lifetime ≤ the tenant's, the rule's, and the subject token's unless the rule allows.
        const lifetime = (payload.exp as number) - (payload.iat as number);
        expect(lifetime).toBe(decision.ttlSeconds);
        expect(issued.response.expires_in).toBe(lifetime);
        expect(lifetime).toBeGreaterThanOrEqual(1);
        expect(lifetime).toBeLessThanOrEqual(tenant.accessTokenTtlSeconds);
        if (rule.maxTtlSeconds !== undefined)
          expect(lifetime).toBeLessThanOrEqual(rule.maxTtlSeconds);
        if (!rule.allowBeyondSubjectExpiry)
          expect(payload.exp as number).toBeLessThanOrEqual(now() + s.expiresIn);

        // act: delegation adds exactly the current actor in front of the subject's chain;
        // impersonation adds no one. Never deeper than the rule allows.
        const before = actorChain(s.act);
        const after = actorChain(payload.act as ActClaim | undefined);
        if (rule.mode === 'delegation') {
          const actor = r.actor
            ? { sub: r.actor, iss: AGENT_ISSUER }
            : { sub: r.clientId, iss: tenant.issuer };
          expect(after).toEqual([actor, ...before]);
        } else {
          expect(after.length === 0 || JSON.stringify(after) === JSON.stringify(before)).toBe(true);
        }
        expect(after.length).toBeLessThanOrEqual(rule.maxChainDepth);
      }),
      parameters,
    );
    // The generators reach both outcomes (else the properties above prove little); a replayed
    // failure runs one case only.
    if (!process.env.FC_PATH) {
      const runs = granted + refused;
      expect(granted).toBeGreaterThan(runs / 30);
      expect(refused).toBeGreaterThan(runs / 30);
    }
  });
});
