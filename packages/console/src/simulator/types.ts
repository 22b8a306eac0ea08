import type { IssuableTokenType, RuleConfig, SubjectTokenType, TraceEntry } from '@sts/core';
import type { LoadedClient, TestIssuerKey } from '@sts/db';

/** A token pasted as it is. */
export interface PastedToken {
  source: 'paste';
  tokenType: SubjectTokenType;
  token: string;
}

/**
 * A token composed in the console and signed by the tenant's test issuer: `extraClaims` (a JSON
 * object, e.g. {"act": {...}, "may_act": {...}, "email": "..."}) first, then iss, sub, aud,
 * scope, iat, exp (now + lifetime; negative for an expired token) and jti over it.
 */
export interface ComposedTokenInput {
  source: 'compose';
  tokenType: SubjectTokenType;
  sub: string;
  scope: string;
  audiences: string[];
  extraClaims: string;
  lifetimeSeconds: number;
}

export type TokenSource = PastedToken | ComposedTokenInput;

/** An exchange to simulate: the request a client would send, and optionally a draft rule. */
export interface SimulationInput {
  tenantId: string;
  clientId: string;
  subject: TokenSource;
  actor?: TokenSource;
  /** Repeatable, as in the request; empty values are dropped like empty form fields. */
  audiences: string[];
  resources: string[];
  scope?: string;
  requestedTokenType?: IssuableTokenType;
  /** An unsaved rule: replaces the saved rule `draftReplacesRuleId` (else the one of its id), or is appended. */
  draftRule?: RuleConfig;
  draftReplacesRuleId?: string;
}

/** A decoded JWT: what the page shows of a composed or would-be token. */
export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface ComposedToken extends DecodedToken {
  /** The signed token; null for an admin who may not change the tenant (viewers). */
  token: string | null;
}

export type SimulationOutcome =
  | {
      granted: true;
      ruleId: string;
      mode: 'delegation' | 'impersonation';
      issuedTokenType: string;
      ttlSeconds: number;
      scope: string[];
      /** The response body the client would get, with the token left out. */
      response: Record<string, unknown>;
    }
  | {
      granted: false;
      /** The OAuth error code, HTTP status and error_description the client would see. */
      error: string;
      status: number;
      description: string;
      /** The precise reason, which only the trace and the audit record hold. */
      detail: string;
      /** The failing check, "step.check" (docs/oauth-errors.md). */
      reason: string;
    };

export interface SimulationResult {
  outcome: SimulationOutcome;
  trace: TraceEntry[];
  subject: { sub: string; iss: string } | null;
  /** Who tried to act (the actor token's subject, or the client); undefined while unknown. */
  actor?: { sub: string; iss: string };
  /** The issued (or would-be) token's actor chain, outermost first. */
  actorChain: { sub: string; iss?: string }[];
  /** The rules evaluated, in order; `draft` marks the unsaved one. */
  rules: { id: string; disabled: boolean; draft: boolean }[];
  /** The would-be token: header and claims, with iat/exp/jti placeholders. Never signed. */
  wouldBe: DecodedToken | null;
  composed: { subject?: ComposedToken; actor?: ComposedToken };
  /** The same request against the real token endpoint, client credentials as placeholders. */
  curl: string;
}

/** A client as the simulator offers it: never its secret hash. */
export type SimulationClient = Omit<LoadedClient, 'secretHash' | 'jwks' | 'jwksUri'>;

export interface TestIssuerStatus {
  issuer: string;
  /** The key exists (it is made on first use). */
  kid: string | null;
  /** The tenant trusts `issuer`. */
  trusted: boolean;
  /** …with an inline JWKS that holds the test issuer's current key. */
  trustedWithKey: boolean;
}

export interface SimulatorOptions {
  clients: SimulationClient[];
  rules: { id: string; disabled: boolean }[];
  testIssuer: TestIssuerStatus;
  tokenEndpoint: string;
  tenantIssuer: string;
}

export type { TestIssuerKey };
