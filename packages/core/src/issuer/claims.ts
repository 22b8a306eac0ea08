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
  'sub_id',
]);

/** RFC 9493 §3.2.6: the "Issuer and Subject Identifier" format. */
export const SUB_ID_FORMAT = 'iss_sub';

/** A Subject Identifier in the `iss_sub` format (RFC 9493 §3.2.6): `sub` as issued by `iss`. */
export interface SubId {
  format: typeof SUB_ID_FORMAT;
  iss: string;
  sub: string;
}

/** An `iss_sub` Subject Identifier read from an untrusted claim, or undefined. */
export function readSubId(value: unknown): SubId | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { format, iss, sub } = value as Record<string, unknown>;
  if (format !== SUB_ID_FORMAT || typeof iss !== 'string' || typeof sub !== 'string')
    return undefined;
  if (iss === '' || sub === '') return undefined;
  return { format: SUB_ID_FORMAT, iss, sub };
}

/**
 * Who the subject is, namespaced by the issuer that named it (decision 0011): the `sub_id` of an
 * issued token. A token of a trusted issuer: that issuer and its `sub`. A token this tenant issued
 * (exchanged again): the `sub_id` it carries, so the original issuer survives every hop.
 */
export function subjectId(subject: {
  issuer: string;
  sub: string;
  self: boolean;
  claims: Record<string, unknown>;
}): SubId {
  const carried = subject.self ? readSubId(subject.claims.sub_id) : undefined;
  if (carried && carried.sub === subject.sub) return carried;
  return { format: SUB_ID_FORMAT, iss: subject.issuer, sub: subject.sub };
}

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
