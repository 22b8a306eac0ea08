import type { IssuableTokenType, RuleConfig, SubjectTokenType, TraceEntry } from '@sts/core';
import type { LoadedClient, TestIssuerKey } from '@sts/db';

/** A token pasted as it is. */
export interface PastedToken {
  source: 'paste';
  tokenType: SubjectTokenType;
  token: string;
}

/**
 * A token composed in the console as one of the issuers the simulator offers
 * (SimulatorOptions.composeIssuers): `extraClaims` (a JSON object, e.g. {"act": {...},
 * "may_act": {...}, "email": "..."}) first, then iss, sub, aud, scope, iat, exp (now +
 * lifetime; negative for an expired token) and jti over it.
 */
export interface ComposedTokenInput {
  source: 'compose';
  tokenType: SubjectTokenType;
  /** Its `iss`: a trusted issuer, the tenant itself, or the tenant's test issuer. */
  issuer: string;
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
  /**
   * The signed token: only when the test issuer signed it (a real credential once the tenant
   * trusts it), and only for an admin who may change the tenant. Null otherwise.
   */
  token: string | null;
  /** Signed by a key made for this run (composed as a trusted issuer or the tenant itself). */
  simulationOnly: boolean;
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
  /**
   * The rules the engine tried, in order (none after the one that granted, none when the request
   * failed before policy); `draft` marks the unsaved one.
   */
  rules: { id: string; disabled: boolean; draft: boolean }[];
  /** The would-be token: header and claims, with iat/exp/jti placeholders. Never signed. */
  wouldBe: DecodedToken | null;
  composed: { subject?: ComposedToken; actor?: ComposedToken };
  /** The same request against the real token endpoint, client credentials as placeholders. */
  curl: string;
}

/** A client as the simulator offers it: never its secret hash. */
export type SimulationClient = Omit<
  LoadedClient,
  'secretHash' | 'jwks' | 'jwksUri' | 'allowIntrospection'
>;

export interface TestIssuerStatus {
  issuer: string;
  /** The key exists (it is made on first use). */
  kid: string | null;
  /** The tenant trusts `issuer`. */
  trusted: boolean;
  /** …with an inline JWKS that holds the test issuer's current key. */
  trustedWithKey: boolean;
}

/** An issuer a token can be composed as. */
export interface ComposeIssuer {
  issuer: string;
  /** trusted: a trusted issuer; self: this tenant; test: the tenant's test issuer. */
  kind: 'trusted' | 'self' | 'test';
  /** The audiences the tenant accepts from it (empty: any); a composed token gets the first. */
  audiences: string[];
}

export interface SimulatorOptions {
  clients: SimulationClient[];
  /** Who a composed token may claim to come from: trusted issuers first, then the tenant, then the test issuer. */
  composeIssuers: ComposeIssuer[];
  rules: { id: string; disabled: boolean }[];
  testIssuer: TestIssuerStatus;
  tokenEndpoint: string;
  tenantIssuer: string;
}

export type { TestIssuerKey };
