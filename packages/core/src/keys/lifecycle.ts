/**
 * The signing key lifecycle (decision 0020), as a pure step: given a tenant's keys and the time,
 * what must change. Nothing here reads a clock or writes; the store applies the plan in one
 * transaction, with each update conditional on the status it read.
 *
 *   pending ──activates_at──▶ active ──(another key activates)──▶ retiring ──retire_after──▶ retired
 *      └──────────────┴───────────────────── revoke (admin) ─────────────┴──▶ revoked
 *
 * A pending key is in the JWKS before it signs, for at least the JWKS cache lifetime, so that no
 * verifier meets a kid it has not fetched. A retiring key verifies until every token it signed
 * has expired: it stopped signing at `stoppedSigningAt`, and a token lives at most the tenant's
 * token lifetime, plus the clock skew verifiers allow.
 */
export const SIGNING_KEY_STATUSES = [
  'pending',
  'active',
  'retiring',
  'retired',
  'revoked',
] as const;
export type SigningKeyStatus = (typeof SIGNING_KEY_STATUSES)[number];

/** What the step needs of a key; times in epoch milliseconds. */
export interface LifecycleKey {
  kid: string;
  status: SigningKeyStatus;
  /** Pending keys: when it starts signing. */
  activatesAt: number | null;
  /** Retiring keys: when it stopped signing (null for keys retired before these dates existed). */
  stoppedSigningAt: number | null;
  /** Retiring keys: when it leaves the JWKS. */
  retireAfter: number | null;
}

export type KeyTransition =
  /** A pending key starts signing; `previousKids` (the active ones) start retiring. */
  | { type: 'activate'; kid: string; previousKids: string[]; retireAfter: number }
  /** A retiring key without a retirement date gets one. */
  | { type: 'schedule_retirement'; kid: string; stoppedSigningAt: number; retireAfter: number }
  /** A retiring key's last token has expired: it leaves the JWKS. */
  | { type: 'retire'; kid: string }
  /** A pending key overtaken by a later one that activates first: it never signed. */
  | { type: 'discard'; kid: string };

export interface LifecycleTimings {
  /** The longest a token of the tenant lives plus the verifiers' clock skew, in milliseconds. */
  verifyWindowMs: number;
}

/**
 * The transitions due at `now`, in the order to apply them. Keys already in their final state,
 * and keys whose time has not come, are left alone: running it twice changes nothing more.
 */
export function planKeyLifecycle(
  keys: readonly LifecycleKey[],
  now: number,
  { verifyWindowMs }: LifecycleTimings,
): KeyTransition[] {
  const plan: KeyTransition[] = [];
  const retireAfter = now + verifyWindowMs;

  const due = keys
    .filter((k) => k.status === 'pending' && k.activatesAt !== null && k.activatesAt <= now)
    .sort((a, b) => (b.activatesAt ?? 0) - (a.activatesAt ?? 0) || a.kid.localeCompare(b.kid));
  const [next, ...overtaken] = due;
  if (next) {
    plan.push({
      type: 'activate',
      kid: next.kid,
      previousKids: keys.filter((k) => k.status === 'active').map((k) => k.kid),
      retireAfter,
    });
    for (const k of overtaken) plan.push({ type: 'discard', kid: k.kid });
  }

  for (const k of keys) {
    if (k.status !== 'retiring') continue;
    if (k.retireAfter === null) {
      const stopped = k.stoppedSigningAt ?? now;
      const at = stopped + verifyWindowMs;
      plan.push(
        at <= now
          ? { type: 'retire', kid: k.kid }
          : { type: 'schedule_retirement', kid: k.kid, stoppedSigningAt: stopped, retireAfter: at },
      );
    } else if (k.retireAfter <= now) plan.push({ type: 'retire', kid: k.kid });
  }
  return plan;
}
