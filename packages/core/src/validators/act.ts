/**
 * The `act` (actor) claim, RFC 8693 §4.1: a JSON object naming the current actor, whose own
 * nested `act` names the prior actor, and so on. Only identity claims belong in it.
 */
export interface ActClaim {
  sub: string;
  iss?: string;
  client_id?: string;
  act?: ActClaim;
}

/** One actor of a chain, outermost (current) first. */
export interface Actor {
  sub: string;
  iss?: string;
}

/**
 * Reads an `act` claim from an untrusted payload without recursion, refusing chains deeper than
 * `maxDepth` before anything walks or serialises them. Returns the cleaned claim (identity
 * members only, RFC 8693 §4.1) or a reason it is unacceptable.
 */
export function readActClaim(
  value: unknown,
  maxDepth: number,
): { ok: true; act: ActClaim | undefined } | { ok: false; reason: string } {
  if (value === undefined) return { ok: true, act: undefined };
  const levels: ActClaim[] = [];
  let node: unknown = value;
  while (node !== undefined) {
    if (levels.length >= maxDepth)
      return { ok: false, reason: `act claim nested deeper than ${maxDepth}` };
    if (typeof node !== 'object' || node === null || Array.isArray(node))
      return { ok: false, reason: 'act claim is not a JSON object' };
    const { sub, iss, client_id: clientId, act } = node as Record<string, unknown>;
    if (typeof sub !== 'string' || sub === '') return { ok: false, reason: 'act claim has no sub' };
    if (iss !== undefined && typeof iss !== 'string')
      return { ok: false, reason: 'act claim iss is not a string' };
    if (clientId !== undefined && typeof clientId !== 'string')
      return { ok: false, reason: 'act claim client_id is not a string' };
    const level: ActClaim = { sub };
    if (iss !== undefined) level.iss = iss;
    if (clientId !== undefined) level.client_id = clientId;
    levels.push(level);
    node = act;
  }
  for (let i = levels.length - 2; i >= 0; i--) (levels[i] as ActClaim).act = levels[i + 1];
  return { ok: true, act: levels[0] };
}

/** The chain of an act claim as a list, outermost (current actor) first. */
export function actorChain(act: ActClaim | undefined): Actor[] {
  const chain: Actor[] = [];
  for (let node = act; node; node = node.act)
    chain.push(node.iss === undefined ? { sub: node.sub } : { sub: node.sub, iss: node.iss });
  return chain;
}
