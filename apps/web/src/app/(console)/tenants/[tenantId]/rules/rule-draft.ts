import type { TRuleInput } from '~/server/trpc/routers/rule/rule.schema';

/**
 * The rule being edited, handed from the editor to the simulator ("Simulate this draft") and back,
 * in sessionStorage: this tab only, gone when it closes, never sent anywhere until the simulator
 * runs it. One draft per tenant.
 */
export interface StoredRuleDraft {
  /** The saved rule the draft edits; null for a new rule. */
  replaces: string | null;
  values: TRuleInput;
  savedAt: number;
}

const storageKey = (tenantId: string) => `sts.console.rule-draft.${tenantId}`;

export function saveRuleDraft(tenantId: string, draft: StoredRuleDraft): void {
  try {
    sessionStorage.setItem(storageKey(tenantId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the simulator then says there is no draft.
  }
}

export function loadRuleDraft(tenantId: string): StoredRuleDraft | null {
  try {
    const text = sessionStorage.getItem(storageKey(tenantId));
    if (!text) return null;
    const value = JSON.parse(text) as StoredRuleDraft;
    return value && typeof value === 'object' && value.values ? value : null;
  } catch {
    return null;
  }
}

export function clearRuleDraft(tenantId: string): void {
  try {
    sessionStorage.removeItem(storageKey(tenantId));
  } catch {
    // Nothing to clear.
  }
}

export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT = 'urn:ietf:params:oauth:token-type:jwt';

/** Every field of a new rule, with the configuration's defaults. */
export const NEW_RULE: TRuleInput = {
  id: '',
  description: '',
  disabled: false,
  clients: [],
  subjectIssuers: [],
  subjectTokenTypes: [ACCESS_TOKEN, JWT],
  mode: 'delegation',
  actors: ['client'],
  audiences: [],
  audiencePrefixes: [],
  defaultAudiences: [],
  scopes: [],
  scopeMode: 'narrow',
  unscopedSubjects: 'no_scope',
  maxTtlSeconds: undefined,
  maxSubjectAgeSeconds: undefined,
  anyHolder: false,
  impersonateDelegated: false,
  allowBeyondSubjectExpiry: false,
  maxChainDepth: 1,
  carryClaims: [],
  requestedTokenTypes: [ACCESS_TOKEN],
};

/** Short names of the token type URNs (RFC 8693 §3). */
export const TOKEN_TYPE_LABELS: Record<string, string> = {
  'urn:ietf:params:oauth:token-type:access_token': 'Access token',
  'urn:ietf:params:oauth:token-type:jwt': 'JWT',
  'urn:ietf:params:oauth:token-type:id_token': 'ID token',
  'urn:ietf:params:oauth:token-type:refresh_token': 'Refresh token',
};
