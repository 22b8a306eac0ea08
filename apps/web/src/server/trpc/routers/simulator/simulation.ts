import 'server-only';
import type { KeyObject } from 'node:crypto';
import {
  type Clock,
  DEFAULT_LIMITS,
  type ExchangeResult,
  exchange,
  type FormParams,
  GRANT_TYPE_TOKEN_EXCHANGE,
  OAuthError,
  TOKEN_TYPE,
  typFor,
} from '@sts/core';
import {
  type Database,
  loadSimulationTenant,
  type SimulationClient,
  testIssuerKey,
  testIssuerStatus,
  withDraft,
} from '@sts/db';
import { TRPCError } from '@trpc/server';
import { consoleEnv } from '~/env';
import { issuerUrls } from '../tenant/issuer-urls';
import { composeToken } from './compose-token';
import { curlCommand } from './curl';
import { simulatorKeyResolver } from './key-resolver';
import type {
  TComposedToken,
  TRunSimulation,
  TSimulationOutcome,
  TSimulationResult,
  TTokenSource,
  TTraceEntry,
} from './simulator.schema';

/**
 * The exchange simulator: core's exchange() (the very code the STS runs) on the tenant as the STS
 * loads it, with read-only ports (simulatorKeyResolver) and the real clock. It never calls
 * issue(), never touches a private signing key of the tenant and writes no audit record: the
 * would-be token is shown decoded and unsigned. The only key it signs with is the tenant's TEST
 * issuer key, for tokens the admin composes.
 */

/** `<NEXTAUTH_URL>/test-issuer/<tenantId>`: the `iss` of tokens the admin composes. */
export function testIssuerUrl(tenantId: string): string {
  return `${consoleEnv().NEXTAUTH_URL.replace(/\/+$/, '')}/test-issuer/${tenantId}`;
}

type Prisma = Database['prisma'];

export interface SimulatorOptions {
  clients: SimulationClient[];
  rules: { id: string; disabled: boolean }[];
  testIssuer: Awaited<ReturnType<typeof testIssuerStatus>>;
  tokenEndpoint: string;
  tenantIssuer: string;
}

/** What the simulator page offers: the tenant's clients and rules, and its test issuer's state. */
export async function simulatorOptions(
  prisma: Prisma,
  tenantId: string,
): Promise<SimulatorOptions> {
  const loaded = await loadSimulationTenant(prisma, tenantId, consoleEnv().STS_PUBLIC_URL);
  if (!loaded) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
  const urls = issuerUrls(tenantId);
  return {
    clients: loaded.clients,
    rules: loaded.tenant.rules.map((r) => ({ id: r.id, disabled: r.disabled })),
    testIssuer: await testIssuerStatus(prisma, tenantId, testIssuerUrl(tenantId)),
    tokenEndpoint: urls.tokenEndpoint,
    tenantIssuer: urls.issuer,
  };
}

export interface SimulationDeps {
  prisma: Prisma;
  /** Opens (or creates) the test issuer key. */
  keyEncryptionKey: KeyObject;
  /** Whether composed tokens are returned (an admin who may change the tenant); else decoded only. */
  showComposedTokens: boolean;
  clock?: Clock;
}

export async function runSimulation(
  deps: SimulationDeps,
  input: TRunSimulation,
): Promise<TSimulationResult> {
  const { prisma } = deps;
  const clock = deps.clock ?? Date.now;
  const loaded = await loadSimulationTenant(prisma, input.tenantId, consoleEnv().STS_PUBLIC_URL);
  if (!loaded) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
  const client = loaded.clients.find((c) => c.clientId === input.clientId);
  if (!client)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `The tenant has no client "${input.clientId}"`,
    });
  const tenant = input.draftRule
    ? {
        ...loaded.tenant,
        rules: withDraft(loaded.tenant.rules, input.draftRule, input.draftReplacesRuleId),
      }
    : loaded.tenant;

  // Tokens the admin composed, signed by the test issuer.
  const composed: TSimulationResult['composed'] = {};
  const tokenOf = async (source: TTokenSource, which: 'subject' | 'actor') => {
    if (source.source === 'paste') return source.token;
    const key = await testIssuerKey(prisma, deps.keyEncryptionKey, input.tenantId);
    const made = await composeToken(source, key, testIssuerUrl(input.tenantId), clock());
    composed[which] = {
      header: made.header,
      payload: made.payload,
      token: deps.showComposedTokens ? made.token : null,
    } satisfies TComposedToken;
    return made.token;
  };
  const params = new Map<string, string[]>();
  const put = (name: string, values: (string | undefined)[]) => {
    // As parseForm does: a parameter sent empty counts as absent (RFC 6749 §3.1).
    const present = values.filter((v): v is string => v !== undefined && v !== '');
    if (present.length > 0) params.set(name, present);
  };
  put('grant_type', [GRANT_TYPE_TOKEN_EXCHANGE]);
  put('subject_token', [await tokenOf(input.subject, 'subject')]);
  put('subject_token_type', [input.subject.tokenType]);
  if (input.actor) {
    put('actor_token', [await tokenOf(input.actor, 'actor')]);
    put('actor_token_type', [input.actor.tokenType]);
  }
  put('requested_token_type', [input.requestedTokenType]);
  put('audience', input.audiences);
  put('resource', input.resources);
  put('scope', [input.scope?.trim()]);

  const notes: TTraceEntry[] = [
    {
      step: 'simulation',
      check: 'client_authentication',
      outcome: 'info',
      message: `not simulated: the STS first authenticates ${client.clientId} (${client.authMethod})`,
    },
  ];
  if (input.draftRule)
    notes.push({
      step: 'simulation',
      check: 'draft',
      outcome: 'info',
      message: `rule ${input.draftRule.id} is the unsaved draft${
        input.draftReplacesRuleId && input.draftReplacesRuleId !== input.draftRule.id
          ? ` (in place of ${input.draftReplacesRuleId})`
          : ''
      }`,
    });

  const result = client.disabled
    ? disabledClient(client.clientId)
    : await exchange(params, {
        tenant,
        client,
        keys: simulatorKeyResolver(loaded.ownKeys),
        clock,
        limits: DEFAULT_LIMITS,
      });

  const active = loaded.ownKeys.find((k) => k.status === 'active');
  return {
    outcome: outcomeOf(result),
    trace: [...notes, ...result.trace],
    subject: result.facts.subject ?? null,
    actorChain: result.facts.actorChain,
    rules: tenant.rules.map((r) => ({
      id: r.id,
      disabled: r.disabled,
      draft: input.draftRule !== undefined && r === input.draftRule,
    })),
    wouldBe: result.ok
      ? {
          header: {
            alg: active?.alg ?? tenant.signingAlg,
            kid: active?.kid ?? '<the active signing key>',
            typ: typFor(result.decision.issuedTokenType),
          },
          payload: {
            ...result.decision.claims,
            iat: '<time of issue>',
            exp: `<time of issue + ${result.decision.ttlSeconds} s>`,
            jti: '<a random UUID>',
          },
        }
      : null,
    composed,
    curl: curlCommand(
      issuerUrls(input.tenantId).tokenEndpoint,
      client.clientId,
      client.authMethod,
      deps.showComposedTokens ? params : withoutComposedTokens(params, input),
    ),
  };
}

/** The request with composed tokens as placeholders, for an admin who may not have them. */
function withoutComposedTokens(params: FormParams, input: TRunSimulation): FormParams {
  const copy = new Map(params);
  if (input.subject.source === 'compose')
    copy.set('subject_token', [
      '<composed subject token (only for admins who may change the tenant)>',
    ]);
  if (input.actor?.source === 'compose')
    copy.set('actor_token', ['<composed actor token (only for admins who may change the tenant)>']);
  return copy;
}

/** The STS refuses a disabled client at authentication, before any exchange (invalid_client). */
function disabledClient(clientId: string): ExchangeResult {
  const detail = `client ${clientId} is disabled`;
  return {
    ok: false,
    error: new OAuthError('invalid_client', 'Client authentication failed', { detail }),
    facts: { tenantId: '', clientId, actorChain: [], requestedAudiences: [] },
    trace: [{ step: 'client', check: 'authentication', outcome: 'fail', message: detail }],
  };
}

function outcomeOf(result: ExchangeResult): TSimulationOutcome {
  if (!result.ok)
    return {
      granted: false,
      error: result.error.error,
      status: result.error.status,
      description: result.error.description,
      detail: result.error.detail,
    };
  const { decision } = result;
  // The body issue() would send (RFC 8693 §2.2.1), without a token.
  const response: Record<string, unknown> = {
    access_token: '<not issued: this is a simulation>',
    issued_token_type: decision.issuedTokenType,
    token_type: decision.issuedTokenType === TOKEN_TYPE.accessToken ? 'Bearer' : 'N_A',
    expires_in: decision.ttlSeconds,
  };
  if (decision.scopeInResponse && decision.scope.length > 0)
    response.scope = decision.scope.join(' ');
  return {
    granted: true,
    ruleId: decision.ruleId,
    mode: decision.mode,
    issuedTokenType: decision.issuedTokenType,
    ttlSeconds: decision.ttlSeconds,
    scope: decision.scope,
    response,
  };
}
