import {
  exchangeRefused,
  type FailureReason,
  invalidScope,
  invalidTarget,
  type OAuthError,
} from '../errors';
import type { Trace } from '../trace';
import { POLICY_CHECKS } from './checks';
import type { CheckClass, Grant, GrantSoFar, PolicyInput } from './types';

interface Miss {
  ruleId: string;
  passed: number;
  check: string;
  class: CheckClass;
  message: string;
}

/**
 * Deny by default: the tenant's rules are tried in order, and the first whose every check passes
 * grants. When none does, the rule that got furthest decides which error the client sees; its
 * failing check is the denial's reason (`policy.<check id>`).
 */
export function evaluatePolicy(
  input: PolicyInput,
  trace: Trace,
): { ok: true; grant: Grant } | { ok: false; error: OAuthError } {
  let closest: Miss | undefined;

  for (const rule of input.tenant.rules) {
    const step = `rule:${rule.id}`;
    if (rule.disabled) {
      trace.skip(step, 'disabled', 'rule is disabled');
      continue;
    }
    let grant: GrantSoFar = {};
    let miss: Miss | undefined;
    for (const [passed, check] of POLICY_CHECKS.entries()) {
      const result = check.run(rule, input, grant);
      if (!result.ok) {
        trace.fail(step, check.id, result.message);
        miss = {
          ruleId: rule.id,
          passed,
          check: check.id,
          class: check.class,
          message: result.message,
        };
        break;
      }
      trace.pass(step, check.id, result.message);
      grant = { ...grant, ...result.grants };
    }
    if (!miss) {
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
    if (!closest || miss.passed > closest.passed) closest = miss;
  }

  if (!closest) {
    trace.fail('policy', 'decision', 'denied: the tenant has no enabled rule');
    return {
      ok: false,
      error: exchangeRefused(POLICY('no_rule'), 'no enabled rule'),
    };
  }
  const detail = `rule ${closest.ruleId}: ${closest.message}`;
  trace.fail('policy', 'decision', `denied: no rule matched (closest: ${detail})`);
  const reason = POLICY(closest.check);
  const error =
    closest.class === 'target'
      ? invalidTarget(reason, detail)
      : closest.class === 'scope'
        ? invalidScope(reason, detail)
        : exchangeRefused(reason, detail);
  return { ok: false, error };
}

const POLICY = (check: string): FailureReason => ({ step: 'policy', check });
