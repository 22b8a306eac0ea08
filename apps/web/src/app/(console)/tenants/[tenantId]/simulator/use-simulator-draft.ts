import { useEffect, useState } from 'react';
import { type TRule, ZRuleSchema } from '~/server/trpc/routers/rule/rule.schema';
import { loadRuleDraft } from '../rules/rule-draft';

export type SimulatorDraft =
  | { state: 'none' }
  | { state: 'missing' }
  | { state: 'invalid' }
  | { state: 'ready'; rule: TRule; replaces: string | null };

/** The rule draft carried over from the editor (`withDraft`), read from this tab's storage. */
export function useSimulatorDraft(tenantId: string, withDraft: boolean): SimulatorDraft {
  const [draft, setDraft] = useState<SimulatorDraft>({ state: 'none' });
  useEffect(() => {
    if (!withDraft) {
      setDraft({ state: 'none' });
      return;
    }
    const stored = loadRuleDraft(tenantId);
    if (!stored) return setDraft({ state: 'missing' });
    const parsed = ZRuleSchema.safeParse(stored.values);
    setDraft(
      parsed.success
        ? { state: 'ready', rule: parsed.data, replaces: stored.replaces }
        : { state: 'invalid' },
    );
  }, [tenantId, withDraft]);
  return draft;
}
