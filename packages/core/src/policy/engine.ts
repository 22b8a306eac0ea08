import { invalidRequest, invalidScope, invalidTarget, type OAuthError } from '../errors';
import type { Trace } from '../trace';
import { POLICY_CHECKS } from './checks';
import type { CheckClass, Grant, PolicyInput } from './types';

/**
 * Deny by default: the tenant's rules are tried in order, and the first whose every check passes
 * grants. When none does, the rule that got furthest decides which error the client sees.
 */
export function evaluatePolicy(
  input: PolicyInput,
  trace: Trace,
): { ok: true; grant: Grant } | { ok: false; error: OAuthError } {
  let closest: { passed: number; class: CheckClass; reason: string } | undefined;

  for (const rule of input.tenant.rules) {
    const step = `rule:${rule.id}`;
    if (rule.disabled) {
      trace.skip(step, 'disabled', 'rule is disabled');
      continue;
    }
    const grant: Partial<Grant> = { rule };
    let passed = 0;
    let failure: { class: CheckClass; reason: string } | undefined;
    for (const check of POLICY_CHECKS) {
      const result = check.run(rule, input, grant);
      if (!result.ok) {
        trace.fail(step, check.id, result.message);
        failure = { class: check.class, reason: `rule ${rule.id}: ${result.message}` };
        break;
      }
      trace.pass(step, check.id, result.message);
      passed++;
    }
    if (!failure) {
      trace.pass('policy', 'decision', `granted by rule ${rule.id}`);
      return {
        ok: true,
        grant: {
          rule,
          actor: grant.actor,
          audiences: grant.audiences ?? [],
          scope: grant.scope ?? [],
        },
      };
    }
    if (!closest || passed > closest.passed) closest = { passed, ...failure };
  }

  if (!closest) {
    trace.fail('policy', 'decision', 'denied: the tenant has no enabled rule');
    return { ok: false, error: invalidRequest('The exchange is not allowed', 'no enabled rule') };
  }
  trace.fail('policy', 'decision', `denied: no rule matched (closest: ${closest.reason})`);
  const error =
    closest.class === 'target'
      ? invalidTarget(closest.reason)
      : closest.class === 'scope'
        ? invalidScope(closest.reason)
        : invalidRequest('The exchange is not allowed', closest.reason);
  return { ok: false, error };
}
