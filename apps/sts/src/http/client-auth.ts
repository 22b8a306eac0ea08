import type { IncomingHttpHeaders } from 'node:http';
import {
  type FormParams,
  find,
  invalidRequest,
  OAuthError,
  single,
  temporarilyUnavailable,
  VERIFY_ALGS,
} from '@sts/core';
import type { RemoteJwks } from '@sts/core/remote-jwks';
import type { LoadedClient } from '@sts/db';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { TenantRuntime } from '../runtime/tenant-registry';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** RFC 7523 §3: assertions are short-lived; this STS accepts at most five minutes. */
const MAX_ASSERTION_LIFETIME_S = 300;

export interface ClientAuthDeps {
  /** Constant time; false when there is no stored hash (it costs the same). */
  verifySecret(secret: string, storedHash: string | undefined): boolean;
  /** true the first time a (client, jti) is seen, false for a replay. */
  markJtiUsed(
    tenantId: string,
    clientId: string,
    jti: string,
    expiresAtMs: number,
  ): Promise<boolean>;
  remoteJwks: RemoteJwks;
  clock: () => number;
  clockSkewSeconds: number;
}

export interface AuthenticatedClient {
  client: LoadedClient;
  method: LoadedClient['authMethod'];
}

/** The check of client authentication that failed (docs/oauth-errors.md: step "client"). */
type ClientCheck =
  | 'credentials'
  | 'secret'
  | 'unknown_client'
  | 'disabled'
  | 'method'
  | 'assertion'
  | 'assertion_audience'
  | 'assertion_iat'
  | 'assertion_lifetime'
  | 'assertion_replay';

/**
 * The client id a request claims, for the audit record, before it is authenticated: the Basic
 * credential's, the body's `client_id`, or the `sub` of a client assertion (not verified). Who
 * failed to authenticate is what an admin looks for; the audit bounds its length.
 */
export function claimedClientId(
  headers: IncomingHttpHeaders,
  params: FormParams,
): string | undefined {
  const basic = parseBasic(headers.authorization);
  const assertion = single(params, 'client_assertion');
  return (
    basic?.clientId ??
    single(params, 'client_id') ??
    (assertion === undefined ? undefined : assertionSubject(assertion))
  );
}

/** The `sub` of a JWT's payload, unverified; undefined when there is none. */
function assertionSubject(assertion: string): string | undefined {
  try {
    const [, payload] = assertion.split('.');
    const { sub } = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

const unauthenticated = (check: ClientCheck, detail: string) =>
  new OAuthError('invalid_client', 'Client authentication failed', {
    reason: { step: 'client', check },
    detail,
  });

/**
 * RFC 6749 §2.3 and RFC 7523 §2.2: authenticates the client by exactly one method, which must be
 * the one registered for it. Public clients (no credentials) cannot use this STS.
 */
export async function authenticateClient(
  headers: IncomingHttpHeaders,
  params: FormParams,
  runtime: TenantRuntime,
  deps: ClientAuthDeps,
): Promise<AuthenticatedClient> {
  const header = headers.authorization;
  const basic = parseBasic(header);
  if (header !== undefined && !basic)
    throw unauthenticated('credentials', 'Authorization header is not a valid Basic credential');
  const postSecret = single(params, 'client_secret');
  const assertion = single(params, 'client_assertion');
  const assertionType = single(params, 'client_assertion_type');

  const methods = [basic, postSecret, assertion ?? assertionType].filter((m) => m !== undefined);
  if (methods.length > 1)
    throw invalidRequest('More than one client authentication method was used', {
      step: 'client',
      check: 'credentials',
    });
  if (methods.length === 0) throw unauthenticated('credentials', 'no client authentication');

  const bodyClientId = single(params, 'client_id');
  if (basic) {
    if (bodyClientId !== undefined && bodyClientId !== basic.clientId)
      throw unauthenticated('credentials', 'client_id differs from the Basic credential');
    return bySecret(runtime, basic.clientId, basic.secret, 'client_secret_basic', deps);
  }
  if (postSecret !== undefined) {
    if (bodyClientId === undefined)
      throw unauthenticated('credentials', 'client_secret without client_id');
    return bySecret(runtime, bodyClientId, postSecret, 'client_secret_post', deps);
  }
  if (assertionType !== CLIENT_ASSERTION_TYPE || assertion === undefined)
    throw unauthenticated('credentials', 'client_assertion_type is missing or unsupported');
  return byAssertion(runtime, assertion, bodyClientId, deps);
}

function bySecret(
  runtime: TenantRuntime,
  clientId: string,
  secret: string,
  method: 'client_secret_basic' | 'client_secret_post',
  deps: ClientAuthDeps,
): AuthenticatedClient {
  const client = runtime.clients.get(clientId);
  // Hash even for an unknown client so timing does not tell which client ids exist.
  const valid = deps.verifySecret(secret, client?.secretHash);
  if (!client || !valid)
    throw unauthenticated('secret', `client ${clientId}: unknown client or wrong secret`);
  return registered(client, method);
}

async function byAssertion(
  runtime: TenantRuntime,
  assertion: string,
  bodyClientId: string | undefined,
  deps: ClientAuthDeps,
): Promise<AuthenticatedClient> {
  let clientId: string | undefined;
  try {
    const [, payload] = assertion.split('.');
    clientId = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()).sub;
  } catch {
    throw unauthenticated('assertion', 'client_assertion is not a JWT');
  }
  if (typeof clientId !== 'string')
    throw unauthenticated('assertion', 'client_assertion has no sub');
  if (bodyClientId !== undefined && bodyClientId !== clientId)
    throw unauthenticated('credentials', 'client_id differs from the client_assertion sub');
  const client = runtime.clients.get(clientId);
  if (!client) throw unauthenticated('unknown_client', `client ${clientId}: unknown client`);
  registered(client, 'private_key_jwt');

  let claims: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload: claims } = await jwtVerify(
      assertion,
      async (header) => {
        const key = client.jwksUri
          ? await deps.remoteJwks.key(client.jwksUri, header)
          : await find(client.keys, header);
        if (!key) throw new Error(`no key matches kid "${header.kid ?? ''}"`);
        return key;
      },
      {
        algorithms: [...VERIFY_ALGS],
        issuer: clientId,
        subject: clientId,
        // RFC 7523 §3 point 3: the audience is this authorization server, identified by its issuer.
        audience: runtime.tenant.issuer,
        clockTolerance: deps.clockSkewSeconds,
        currentDate: new Date(deps.clock()),
        requiredClaims: ['exp', 'jti'],
      },
    ));
  } catch (err) {
    if (err instanceof OAuthError) throw err.withReason({ step: 'client', check: 'assertion' });
    const reason =
      err instanceof joseErrors.JWTClaimValidationFailed
        ? `${err.claim} ${err.reason}`
        : err instanceof joseErrors.JOSEError
          ? err.code
          : (err as Error).message;
    throw unauthenticated('assertion', `client ${clientId}: client_assertion rejected (${reason})`);
  }
  // RFC 7523 §3 point 3, as draft-ietf-oauth-rfc7523bis tightens it: the audience is the
  // issuer as a single string, not an array that contains it (decision 0004).
  if (typeof claims.aud !== 'string')
    throw unauthenticated(
      'assertion_audience',
      `client ${clientId}: client_assertion aud must be the issuer as a single string`,
    );
  const now = deps.clock() / 1000;
  // An iat in the future, beyond the tolerated skew, is not a time the assertion was issued at.
  if (typeof claims.iat === 'number' && claims.iat > now + deps.clockSkewSeconds)
    throw unauthenticated(
      'assertion_iat',
      `client ${clientId}: client_assertion iat is in the future`,
    );
  const exp = claims.exp as number;
  const start = typeof claims.iat === 'number' ? claims.iat : now;
  if (exp - Math.min(start, now) > MAX_ASSERTION_LIFETIME_S + deps.clockSkewSeconds)
    throw unauthenticated(
      'assertion_lifetime',
      `client ${clientId}: client_assertion lives longer than ${MAX_ASSERTION_LIFETIME_S}s`,
    );
  if (!(await firstUse(deps, runtime.tenant.id, clientId, String(claims.jti), exp * 1000)))
    throw unauthenticated(
      'assertion_replay',
      `client ${clientId}: client_assertion jti was already used`,
    );
  return { client, method: 'private_key_jwt' };
}

function registered(client: LoadedClient, method: LoadedClient['authMethod']): AuthenticatedClient {
  if (client.disabled) throw unauthenticated('disabled', `client ${client.clientId} is disabled`);
  if (client.authMethod !== method)
    throw unauthenticated(
      'method',
      `client ${client.clientId} is registered for ${client.authMethod}, not ${method}`,
    );
  return { client, method };
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded, then joined by ":" and base64-encoded. */
function parseBasic(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = header === undefined ? null : /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether this is the assertion's first use. A replay store that cannot answer (the database is
 * unreachable) refuses the request for now: 503, never an unchecked assertion.
 */
async function firstUse(
  deps: ClientAuthDeps,
  tenantId: string,
  clientId: string,
  jti: string,
  expiresAtMs: number,
): Promise<boolean> {
  try {
    return await deps.markJtiUsed(tenantId, clientId, jti, expiresAtMs);
  } catch (err) {
    throw temporarilyUnavailable(
      'assertion replay check unavailable',
      { step: 'server', check: 'database' },
      err,
    );
  }
}
