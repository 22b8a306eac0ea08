import {
  admitsClient,
  type ClientAuthMethod,
  type Jwks,
  type RuleConfig,
  ruleSummary,
  tenantIssuer,
} from '@sts/core';
import { generateClientSecret, hashClientSecret } from '@sts/crypto';
import type { Admin, AuditEventSummary, ClientCredentials, ClientRecord } from '@sts/db';
import { type ConsoleContext, changeBy } from './context';
import { AppError } from './errors';
import { assertFetchable } from './jwks-uri';

/** How a client proves who it is: a generated secret, or its keys (private_key_jwt). */
export interface ClientAuth {
  authMethod: ClientAuthMethod;
  /** private_key_jwt only: exactly one of jwks and jwksUri. */
  jwks?: Jwks;
  jwksUri?: string;
}

export interface NewClientInput extends ClientAuth {
  clientId: string;
  displayName?: string;
  allowTokenExchange: boolean;
  /** May call the introspection endpoint (RFC 7662); default false. */
  allowIntrospection?: boolean;
}

export interface ClientSettingsInput {
  displayName?: string;
  allowTokenExchange: boolean;
  /** Unchanged when undefined. */
  allowIntrospection?: boolean;
}

/** A client secret in clear: returned once, by the call that generated it, and stored hashed. */
export interface GeneratedSecret {
  clientId: string;
  /** Where the client sends the secret (the console's curl command puts it there). */
  authMethod: ClientAuthMethod;
  /** Null when none was generated (private_key_jwt, or the current secret stays). */
  secret: string | null;
}

const usesSecret = (method: ClientAuthMethod) => method !== 'private_key_jwt';

export function listClients(ctx: ConsoleContext, tenantId: string): Promise<ClientRecord[]> {
  return ctx.db.clients.list(tenantId);
}

/** How many of a client's latest exchange attempts its detail page shows. */
export const RECENT_EXCHANGES = 10;

/** A rule that admits a client, as the client's page lists it. */
export interface ClientRule {
  id: string;
  /** Its place in the evaluation order, from 0. */
  position: number;
  mode: RuleConfig['mode'];
  disabled: boolean;
  /** The rule lists the client by its id (else it admits it as any client, "*"). */
  listed: boolean;
  /** core's plain-language summary of the rule. */
  headline: string;
}

/** One client with what the admin looks for next: where it is used and what it did last. */
export interface ClientDetail {
  client: ClientRecord;
  /** The time of its latest exchange attempt in the audit log (granted or not); null: never. */
  lastUsedAt: Date | null;
  /** The rules that admit it (listed, or "*"), in evaluation order. */
  rules: ClientRule[];
  /** Its latest exchange attempts, newest first (at most RECENT_EXCHANGES). */
  recentExchanges: AuditEventSummary[];
}

/**
 * The client's page: the client, the rules that admit it (core's admitsClient, so "*" counts),
 * and its latest attempts from the tenant's audit log. An unknown client is a NotFoundError.
 */
export async function clientDetail(
  ctx: ConsoleContext,
  tenantId: string,
  clientId: string,
): Promise<ClientDetail> {
  const [tenant, client, rules, recent] = await Promise.all([
    ctx.db.tenants.get(tenantId),
    ctx.db.clients.get(tenantId, clientId),
    ctx.db.rules.list(tenantId),
    ctx.db.audit.query(tenantId, { clientId }, { limit: RECENT_EXCHANGES }),
  ]);
  const summaryTenant = {
    issuer: tenantIssuer(ctx.stsPublicUrl, tenantId),
    accessTokenTtlSeconds: tenant.accessTokenTtlSeconds,
  };
  return {
    client,
    lastUsedAt: recent.items[0]?.createdAt ?? null,
    rules: rules.flatMap((rule, position) =>
      admitsClient(rule.clients, clientId)
        ? [
            {
              id: rule.id,
              position,
              mode: rule.mode,
              disabled: rule.disabled,
              listed: rule.clients.includes(clientId),
              headline: ruleSummary(rule, summaryTenant).headline,
            },
          ]
        : [],
    ),
    recentExchanges: recent.items,
  };
}

/**
 * Registers a client. For the client_secret_* methods a secret is generated and only its hash
 * stored: the returned secret is the only copy there will ever be.
 */
export async function createClient(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  input: NewClientInput,
): Promise<GeneratedSecret> {
  assertFetchable(ctx, input.jwksUri);
  const secret = usesSecret(input.authMethod) ? generateClientSecret() : null;
  await ctx.db.clients.create(
    tenantId,
    {
      clientId: input.clientId,
      displayName: input.displayName,
      allowTokenExchange: input.allowTokenExchange,
      allowIntrospection: input.allowIntrospection ?? false,
      credentials: credentials(ctx, input, secret),
    },
    changeBy(admin, 'client.create', {
      tenantId,
      target: input.clientId,
      details: {
        displayName: input.displayName,
        allowTokenExchange: input.allowTokenExchange,
        allowIntrospection: input.allowIntrospection ?? false,
        ...authDetails(input),
      },
    }),
  );
  return { clientId: input.clientId, authMethod: input.authMethod, secret };
}

/** Display name, and the token exchange and introspection permissions. */
export async function updateClient(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  clientId: string,
  input: ClientSettingsInput,
): Promise<void> {
  await ctx.db.clients.update(
    tenantId,
    clientId,
    input,
    changeBy(admin, 'client.update', {
      tenantId,
      target: clientId,
      details: {
        displayName: input.displayName,
        allowTokenExchange: input.allowTokenExchange,
        allowIntrospection: input.allowIntrospection,
      },
    }),
  );
}

/**
 * Changes how the client authenticates (or, for private_key_jwt, its keys). Moving to a
 * client_secret_* method from private_key_jwt generates a secret, returned once; between the two
 * secret methods the current secret stays valid (rotate it separately). Moving to private_key_jwt
 * deletes the secret's hash.
 */
export async function setClientAuthMethod(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  clientId: string,
  input: ClientAuth,
): Promise<GeneratedSecret> {
  assertFetchable(ctx, input.jwksUri);
  const current = await ctx.db.clients.get(tenantId, clientId);
  // A client of a secret method always has a secret: only one moving from keys needs a new one.
  const secret =
    usesSecret(input.authMethod) && !usesSecret(current.authMethod) ? generateClientSecret() : null;
  await ctx.db.clients.setCredentials(
    tenantId,
    clientId,
    credentials(ctx, input, secret),
    changeBy(admin, 'client.update', {
      tenantId,
      target: clientId,
      details: { ...authDetails(input), secretGenerated: secret !== null },
    }),
  );
  return { clientId, authMethod: input.authMethod, secret };
}

/**
 * Replaces the client's secret by a new generated one (the old one stops working at the STS's
 * next reload, within about a second). A private_key_jwt client has no secret to rotate.
 */
export async function rotateClientSecret(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  clientId: string,
): Promise<GeneratedSecret & { secret: string }> {
  const current = await ctx.db.clients.get(tenantId, clientId);
  if (!usesSecret(current.authMethod))
    throw new AppError(
      'CONFLICT',
      'This client authenticates with private_key_jwt: it has no secret',
    );
  const secret = generateClientSecret();
  await ctx.db.clients.setCredentials(
    tenantId,
    clientId,
    {
      authMethod: current.authMethod,
      secretHash: hashClientSecret(ctx.keys.clientSecretPepper, secret),
    },
    changeBy(admin, 'client.rotate_secret', { tenantId, target: clientId }),
  );
  return { clientId, authMethod: current.authMethod, secret };
}

/** A disabled client cannot authenticate. */
export async function setClientEnabled(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  clientId: string,
  enabled: boolean,
): Promise<void> {
  await ctx.db.clients.setDisabled(
    tenantId,
    clientId,
    !enabled,
    changeBy(admin, enabled ? 'client.enable' : 'client.disable', { tenantId, target: clientId }),
  );
}

export async function deleteClient(
  ctx: ConsoleContext,
  admin: Admin,
  tenantId: string,
  clientId: string,
): Promise<void> {
  await ctx.db.clients.delete(
    tenantId,
    clientId,
    changeBy(admin, 'client.delete', { tenantId, target: clientId }),
  );
}

/** The stored credentials: a new secret's hash (or the stored one), or the client's keys. */
function credentials(
  ctx: ConsoleContext,
  input: ClientAuth,
  secret: string | null,
): ClientCredentials {
  if (!usesSecret(input.authMethod))
    return { authMethod: input.authMethod, jwks: input.jwks, jwksUri: input.jwksUri };
  return {
    authMethod: input.authMethod,
    secretHash: secret === null ? undefined : hashClientSecret(ctx.keys.clientSecretPepper, secret),
  };
}

/** What an admin action records of the auth settings (public keys by kid; never a secret). */
function authDetails(input: ClientAuth) {
  return {
    authMethod: input.authMethod,
    jwksUri: input.jwksUri,
    jwksKids: input.jwks?.keys.map((k) => k.kid ?? null),
  };
}
