import type { JWTPayload } from 'jose';
import type { ActClaim, Actor } from '../validators/act';

/** Claims a rule may never carry over: they are set by the STS itself (RFC 9068 §2.2, RFC 8693 §4). */
const RESERVED = new Set([
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
]);

/**
 * The new `act` claim (RFC 8693 §4.1): the current actor outermost, the subject token's existing
 * chain nested inside it so no prior actor is lost.
 */
export function buildAct(
  actor: Actor | undefined,
  previous: ActClaim | undefined,
): ActClaim | undefined {
  if (!actor) return previous;
  const act: ActClaim =
    actor.iss === undefined ? { sub: actor.sub } : { sub: actor.sub, iss: actor.iss };
  if (previous) act.act = previous;
  return act;
}

/** Subject claims the rule names, except reserved ones. */
export function carriedClaims(
  subject: JWTPayload,
  names: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names)
    if (!RESERVED.has(name) && Object.hasOwn(subject, name) && subject[name] !== undefined)
      out[name] = subject[name];
  return out;
}
