import {
  CLIENT_AUTH_METHODS,
  JwksSchema,
  type RuleConfig,
  RuleSchema,
  SIGNING_ALGS,
  type Tenant,
  type TrustedIssuerConfig,
  TrustedIssuerSchema,
  tenantIssuer,
} from '@sts/core';
import type {
  Client as ClientRow,
  Rule as RuleRow,
  Tenant as TenantRow,
  TrustedIssuer as TrustedIssuerRow,
} from '../../generated/prisma/client';
import type { LoadedClient } from '../repositories/config';
import { oneOf, parseStored, parseStoredJson } from './stored';

/**
 * Rows as the exchange engine and the console read them: stored JSON validated with the core
 * schemas, as the STS validates its configuration file. One mapping per table, used by every
 * repository that reads it.
 */

/** A tenant row with its trusted issuers and rules (in order), as the exchange engine sees it. */
export function toTenant(
  t: Pick<TenantRow, 'id' | 'displayName' | 'accessTokenTtlSeconds' | 'signingAlg'> & {
    trustedIssuers: TrustedIssuerRow[];
    rules: Pick<RuleRow, 'tenantId' | 'ruleId' | 'definition'>[];
  },
  publicUrl: string,
): Tenant {
  return {
    id: t.id,
    displayName: t.displayName,
    issuer: tenantIssuer(publicUrl, t.id),
    accessTokenTtlSeconds: t.accessTokenTtlSeconds,
    signingAlg: oneOf(SIGNING_ALGS, t.signingAlg, `tenant ${t.id}: signing_alg`),
    trustedIssuers: t.trustedIssuers.map(toTrustedIssuer),
    rules: t.rules.map(toRule),
  };
}

export function toTrustedIssuer(row: TrustedIssuerRow): TrustedIssuerConfig {
  const where = `tenant ${row.tenantId}, trusted issuer ${row.issuer}`;
  const value = {
    issuer: row.issuer,
    jwksUri: row.jwksUri ?? undefined,
    jwks: row.jwks === null ? undefined : parseStoredJson(row.jwks, `${where}: jwks`),
    audiences: parseStoredJson(row.audiences, `${where}: audiences`),
    anyAudience: row.anyAudience,
    accessTokenTyp: parseStoredJson(row.accessTokenTyp, `${where}: access_token_typ`),
    algorithms: parseStoredJson(row.algorithms, `${where}: algorithms`),
  };
  return parseStored(TrustedIssuerSchema, value, where);
}

export function toRule(row: Pick<RuleRow, 'tenantId' | 'ruleId' | 'definition'>): RuleConfig {
  const where = `tenant ${row.tenantId}, rule ${row.ruleId}`;
  return parseStored(RuleSchema, parseStoredJson(row.definition, where), where);
}

export function toLoadedClient(row: Omit<ClientRow, 'createdAt' | 'updatedAt'>): LoadedClient {
  const where = `tenant ${row.tenantId}, client ${row.clientId}`;
  return {
    clientId: row.clientId,
    displayName: row.displayName,
    authMethod: oneOf(CLIENT_AUTH_METHODS, row.authMethod, `${where}: auth_method`),
    secretHash: row.secretHash ?? undefined,
    jwks:
      row.jwks === null
        ? undefined
        : parseStored(JwksSchema, parseStoredJson(row.jwks, `${where}: jwks`), `${where}: jwks`),
    jwksUri: row.jwksUri ?? undefined,
    allowTokenExchange: row.allowTokenExchange,
    allowIntrospection: row.allowIntrospection,
    disabled: row.disabled,
  };
}
