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
 *
 * A tenant with a rotation period (`keyRotationDays`) also gets a scheduled rotation: once its
 * active key has signed for that long, a new pending key, exactly as the console's "Rotate now"
 * makes one (the step only says so; the store makes the key).
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
  /** Active keys: when it started signing (the scheduled rotation counts from it). */
  activatedAt?: number | null;
}

export type KeyTransition =
  /** A pending key starts signing; `previousKids` (the active ones) start retiring. */
  | { type: 'activate'; kid: string; previousKids: string[]; retireAfter: number }
  /** A retiring key without a retirement date gets one. */
  | { type: 'schedule_retirement'; kid: string; stoppedSigningAt: number; retireAfter: number }
  /** A retiring key's last token has expired: it leaves the JWKS. */
  | { type: 'retire'; kid: string }
  /** A pending key overtaken by a later one that activates first: it never signed. */
  | { type: 'discard'; kid: string }
  /**
   * The active key has signed for the tenant's rotation period: a new key is due, pending for
   * the pre-publication delay like any rotation. `kid` is the new key's, set by the store that
   * made it (the plan has none).
   */
  | { type: 'rotate'; previousKid: string; dueAt: number; kid?: string };

export interface LifecycleTimings {
  /** The longest a token of the tenant lives plus the verifiers' clock skew, in milliseconds. */
  verifyWindowMs: number;
  /** How long a key signs before a scheduled rotation; null or absent: no scheduled rotation. */
  rotationPeriodMs?: number | null;
}

const DAY_MS = 86_400_000;

/**
 * When the active key is due to be replaced by a scheduled rotation: `rotationDays` after it
 * started signing. Null without a period, or without an active key with a known start.
 */
export function scheduledRotationAt(
  activatedAt: number | null | undefined,
  rotationDays: number | null | undefined,
): number | null {
  if (!rotationDays || activatedAt === null || activatedAt === undefined) return null;
  return activatedAt + rotationDays * DAY_MS;
}

/**
 * The transitions due at `now`, in the order to apply them. Keys already in their final state,
 * and keys whose time has not come, are left alone: running it twice changes nothing more.
 */
export function planKeyLifecycle(
  keys: readonly LifecycleKey[],
  now: number,
  { verifyWindowMs, rotationPeriodMs }: LifecycleTimings,
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

  // A scheduled rotation waits while any key is pending (one pending key at a time; the pending
  // one is the rotation already under way, scheduled or not) and while one activates now.
  const active = keys.find((k) => k.status === 'active');
  if (rotationPeriodMs && active && !keys.some((k) => k.status === 'pending')) {
    const dueAt = active.activatedAt == null ? null : active.activatedAt + rotationPeriodMs;
    if (dueAt !== null && dueAt <= now)
      plan.push({ type: 'rotate', previousKid: active.kid, dueAt });
  }
  return plan;
}
