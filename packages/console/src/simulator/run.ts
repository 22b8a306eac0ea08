import {
  createKeyResolver,
  DEFAULT_LIMITS,
  type ExchangeResult,
  exchange,
  type FormParams,
  GRANT_TYPE_TOKEN_EXCHANGE,
  issuedClaims,
  ownKeySet,
  reasonCode,
  tenantEndpoints,
  tokenResponse,
  typFor,
} from '@sts/core';
import { type CryptoKey, importJWK, type JWK } from 'jose';
import type { ConsoleContext } from '../context';
import { curlCommand } from '../curl';
import { AppError } from '../errors';
import { withDraft } from '../rules';
import { composeToken } from './compose-token';
import { type SimulationKey, simulationKey, withSimulationKeys } from './simulation-keys';
import { testIssuerKeyPair, testIssuerUrl } from './test-issuer';
import type {
  ComposedToken,
  ComposedTokenInput,
  SimulationInput,
  SimulationOutcome,
  SimulationResult,
  TokenSource,
} from './types';

/**
 * The exchange simulator: core's exchange() (the very code the STS runs) on the tenant as the STS
 * loads it, with the STS's key resolver over read-only keys (trusted issuers' inline or fetched
 * JWKS, the tenant's PUBLIC signing keys) and the real clock. It never calls issue(), never
 * touches a private signing key of the tenant and writes no audit record: the would-be token is
 * core's issuedClaims() shown unsigned.
 *
 * Tokens the admin composes are signed by a key made for the run when composed as a trusted
 * issuer or as the tenant (the run's resolver accepts it for that issuer alone: nothing changes
 * in the configuration, and such a token is useless anywhere else), or by the tenant's test
 * issuer key; `showComposedTokens` says whether test-issuer tokens come back signed (to admins
 * who may change the tenant: once it trusts its test issuer, they are credentials).
 */
export async function runSimulation(
  ctx: ConsoleContext,
  { showComposedTokens }: { showComposedTokens: boolean },
  input: SimulationInput,
): Promise<SimulationResult> {
  const { tenantId } = input;
  const [loaded, signingKeys] = await Promise.all([
    ctx.db.config.loadTenant(tenantId, ctx.stsPublicUrl),
    ctx.db.signingKeys.list(tenantId),
  ]);
  const client = loaded.clients.find((c) => c.clientId === input.clientId);
  if (!client)
    throw new AppError('INVALID_INPUT', `The tenant has no client "${input.clientId}"`, {
      clientId: ['not a client of this tenant'],
    });
  const tenant = input.draftRule
    ? {
        ...loaded.tenant,
        rules: withDraft(loaded.tenant.rules, input.draftRule, input.draftReplacesRuleId),
      }
    : loaded.tenant;

  // Tokens the admin composed, and the keys made for this run to sign them.
  const composed: SimulationResult['composed'] = {};
  const simulationKeys: SimulationKey[] = [];
  const signingKey = async (source: ComposedTokenInput, which: 'subject' | 'actor') => {
    if (source.issuer === testIssuerUrl(ctx, tenantId)) {
      const { kid, privateJwk } = await testIssuerKeyPair(ctx, tenantId);
      const privateKey = await importJWK({ ...(privateJwk as JWK), alg: 'ES256' }, 'ES256');
      return { kid, alg: 'ES256', privateKey: privateKey as CryptoKey, simulationOnly: false };
    }
    const alg =
      source.issuer === tenant.issuer
        ? tenant.signingAlg
        : tenant.trustedIssuers.find((i) => i.issuer === source.issuer)?.algorithms[0];
    if (!alg)
      throw new AppError('INVALID_INPUT', `The tenant does not trust ${source.issuer}`, {
        [`${which}.issuer`]: ['not an issuer this tenant trusts'],
      });
    const key = await simulationKey(source.issuer, alg);
    simulationKeys.push(key);
    // A composed access token carries the typ this issuer's access tokens carry (decision 0010).
    const typ = tenant.trustedIssuers.find((i) => i.issuer === source.issuer)?.accessTokenTyp[0];
    return { ...key, simulationOnly: true, accessTokenTyp: typ };
  };
  const tokenOf = async (source: TokenSource, which: 'subject' | 'actor') => {
    if (source.source === 'paste') return source.token;
    const key = await signingKey(source, which);
    const made = await composeToken(source, key, ctx.clock());
    composed[which] = {
      header: made.header,
      payload: made.payload,
      token: showComposedTokens && !key.simulationOnly ? made.token : null,
      simulationOnly: key.simulationOnly,
    } satisfies ComposedToken;
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

  const publicKeys = signingKeys.filter((k) => k.status !== 'retired');
  const ownKeys = ownKeySet(publicKeys);
  const keys = createKeyResolver({ remote: ctx.remoteJwks, ownKeys: () => ownKeys });
  const result = await exchange(params, {
    tenant,
    client,
    keys: simulationKeys.length > 0 ? withSimulationKeys(keys, simulationKeys) : keys,
    clock: ctx.clock,
    limits: DEFAULT_LIMITS,
  });

  const notes: SimulationResult['trace'] = [
    {
      step: 'simulation',
      check: 'client_authentication',
      outcome: 'info',
      message: `not simulated: the STS first authenticates ${client.clientId} (${client.authMethod})`,
    },
  ];
  for (const [which, token] of Object.entries(composed))
    if (token.simulationOnly)
      notes.push({
        step: 'simulation',
        check: `composed_${which}_token`,
        outcome: 'info',
        message: `the ${which} token was composed as ${String(token.payload.iss)} and signed with a key made for this simulation: the STS would check that issuer's real signature`,
      });
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

  const active = publicKeys.find((k) => k.status === 'active');
  return {
    outcome: outcomeOf(result),
    trace: [...notes, ...result.trace],
    subject: result.facts.subject ?? null,
    actor: result.facts.actor,
    actorChain: result.facts.actorChain,
    // The rules the engine tried, as its trace records them: none when the request failed
    // before policy, none after the one that granted.
    rules: tenant.rules
      .filter((r) => result.trace.some((e) => e.step === `rule:${r.id}`))
      .map((r) => ({
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
            ...issuedClaims(result.decision, { iat: 0, jti: '' }),
            iat: '<time of issue>',
            exp: `<time of issue + ${result.decision.ttlSeconds} s>`,
            jti: '<a random UUID>',
          },
        }
      : null,
    composed,
    curl: curlCommand(
      tenantEndpoints(ctx.stsPublicUrl, tenantId).tokenEndpoint,
      client.clientId,
      client.authMethod,
      withoutUnusableTokens(params, composed),
    ),
  };
}

/**
 * The request for the real STS: a composed token the admin may not have (a viewer's) or that
 * only this run accepts (signed by a simulation key) becomes a placeholder.
 */
function withoutUnusableTokens(
  params: FormParams,
  composed: SimulationResult['composed'],
): FormParams {
  const copy = new Map(params);
  for (const [which, token] of Object.entries(composed))
    if (token.token === null)
      copy.set(`${which}_token`, [
        token.simulationOnly
          ? `<a ${which} token from ${String(token.payload.iss)}>`
          : `<composed ${which} token (only for admins who may change the tenant)>`,
      ]);
  return copy;
}

function outcomeOf(result: ExchangeResult): SimulationOutcome {
  if (!result.ok)
    return {
      granted: false,
      error: result.error.error,
      status: result.error.status,
      description: result.error.description,
      detail: result.error.detail,
      reason: reasonCode(result.error.reason),
    };
  const { decision } = result;
  // The body issue() would send (RFC 8693 §2.2.1), without a token.
  const { access_token: _, ...response } = tokenResponse(decision, '');
  return {
    granted: true,
    ruleId: decision.ruleId,
    mode: decision.mode,
    issuedTokenType: decision.issuedTokenType,
    ttlSeconds: decision.ttlSeconds,
    scope: decision.scope,
    response: { access_token: '<not issued: this is a simulation>', ...response },
  };
}
