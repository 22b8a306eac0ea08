import type { KeyObject } from 'node:crypto';
import { type ClientAuthMethod, type Jwks, JwksSchema } from '@sts/core';
import { generateClientSecret, hashClientSecret } from '../crypto/client-secret';
import type { Database } from '../open';
import { parseStored, parseStoredJson } from '../repositories/stored';
import { adminActionRecord, configChanged } from './admin-actions';
import type { Admin } from './admin-users';
import { ConflictError } from './tenants';

type Prisma = Database['prisma'];

/** A client as the console lists it: never its secret hash. */
export interface ClientSummary {
  clientId: string;
  displayName: string | null;
  authMethod: ClientAuthMethod;
  jwks: Jwks | null;
  jwksUri: string | null;
  allowTokenExchange: boolean;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** How a client proves who it is: a generated secret, or its keys (private_key_jwt). */
export interface ClientAuth {
  authMethod: ClientAuthMethod;
  /** private_key_jwt only: exactly one of jwks and jwksUri. */
  jwks?: Jwks;
  jwksUri?: string;
}

export interface NewClient extends ClientAuth {
  clientId: string;
  displayName?: string;
  allowTokenExchange: boolean;
}

export interface ClientSettings {
  displayName?: string;
  allowTokenExchange: boolean;
}

/** A client secret in clear: returned once, by the call that generated it, and stored hashed. */
export interface GeneratedSecret {
  secret: string | null;
}

/** The columns the console reads: everything but `secretHash`. */
const PUBLIC_COLUMNS = {
  clientId: true,
  displayName: true,
  authMethod: true,
  jwks: true,
  jwksUri: true,
  allowTokenExchange: true,
  disabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

const usesSecret = (method: ClientAuthMethod) => method !== 'private_key_jwt';
const key = (tenantId: string, clientId: string) => ({ tenantId_clientId: { tenantId, clientId } });

export async function listClients(prisma: Prisma, tenantId: string): Promise<ClientSummary[]> {
  const rows = await prisma.client.findMany({
    where: { tenantId },
    orderBy: { clientId: 'asc' },
    select: PUBLIC_COLUMNS,
  });
  return rows.map((row) => {
    const where = `tenant ${tenantId}, client ${row.clientId}`;
    return {
      ...row,
      authMethod: row.authMethod as ClientAuthMethod,
      jwks:
        row.jwks === null
          ? null
          : parseStored(JwksSchema, parseStoredJson(row.jwks, `${where}: jwks`), `${where}: jwks`),
    };
  });
}

/**
 * Registers a client. For the client_secret_* methods a secret is generated and only its hash
 * stored: the returned secret is the only copy there will ever be.
 */
export async function createClient(
  prisma: Prisma,
  admin: Admin,
  pepper: KeyObject,
  tenantId: string,
  input: NewClient,
): Promise<GeneratedSecret> {
  const existing = await prisma.client.findUnique({
    where: key(tenantId, input.clientId),
    select: { clientId: true },
  });
  if (existing) throw new ConflictError(`A client with id "${input.clientId}" already exists`);
  const secret = usesSecret(input.authMethod) ? generateClientSecret() : null;
  await prisma.$transaction([
    prisma.client.create({
      data: {
        // connect: an unknown tenant fails as "not found" (P2025), not as a foreign key error.
        tenant: { connect: { id: tenantId } },
        clientId: input.clientId,
        displayName: input.displayName ?? null,
        allowTokenExchange: input.allowTokenExchange,
        disabled: false,
        ...authColumns(input, secret === null ? null : hashClientSecret(pepper, secret)),
      },
    }),
    adminActionRecord(prisma, admin, {
      action: 'client.create',
      tenantId,
      target: input.clientId,
      details: {
        displayName: input.displayName,
        allowTokenExchange: input.allowTokenExchange,
        ...authDetails(input),
      },
    }),
    configChanged(prisma),
  ]);
  return { secret };
}

/** Display name and token exchange permission; an unknown client fails with P2025. */
export async function updateClient(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  clientId: string,
  input: ClientSettings,
): Promise<void> {
  await prisma.$transaction([
    prisma.client.update({
      where: key(tenantId, clientId),
      data: {
        displayName: input.displayName ?? null,
        allowTokenExchange: input.allowTokenExchange,
      },
    }),
    adminActionRecord(prisma, admin, {
      action: 'client.update',
      tenantId,
      target: clientId,
      details: { displayName: input.displayName, allowTokenExchange: input.allowTokenExchange },
    }),
    configChanged(prisma),
  ]);
}

/**
 * Changes how the client authenticates (or, for private_key_jwt, its keys). Moving to a
 * client_secret_* method from private_key_jwt generates a secret, returned once; between the two
 * secret methods the current secret stays valid (rotate it separately). Moving to private_key_jwt
 * deletes the secret's hash. Null when the client does not exist.
 */
export async function setClientAuthMethod(
  prisma: Prisma,
  admin: Admin,
  pepper: KeyObject,
  tenantId: string,
  clientId: string,
  input: ClientAuth,
): Promise<GeneratedSecret | null> {
  const row = await prisma.client.findUnique({
    where: key(tenantId, clientId),
    select: { secretHash: true },
  });
  if (!row) return null;
  const secret =
    usesSecret(input.authMethod) && row.secretHash === null ? generateClientSecret() : null;
  const secretHash = usesSecret(input.authMethod)
    ? secret === null
      ? row.secretHash
      : hashClientSecret(pepper, secret)
    : null;
  await prisma.$transaction([
    prisma.client.update({ where: key(tenantId, clientId), data: authColumns(input, secretHash) }),
    adminActionRecord(prisma, admin, {
      action: 'client.update',
      tenantId,
      target: clientId,
      details: { ...authDetails(input), secretGenerated: secret !== null },
    }),
    configChanged(prisma),
  ]);
  return { secret };
}

/**
 * Replaces the client's secret by a new generated one (the old one stops working at the STS's
 * next reload, within about a second). Null when the client does not exist; ConflictError for a
 * private_key_jwt client, which has no secret.
 */
export async function rotateClientSecret(
  prisma: Prisma,
  admin: Admin,
  pepper: KeyObject,
  tenantId: string,
  clientId: string,
): Promise<{ secret: string } | null> {
  const row = await prisma.client.findUnique({
    where: key(tenantId, clientId),
    select: { authMethod: true },
  });
  if (!row) return null;
  if (!usesSecret(row.authMethod as ClientAuthMethod))
    throw new ConflictError('This client authenticates with private_key_jwt: it has no secret');
  const secret = generateClientSecret();
  await prisma.$transaction([
    prisma.client.update({
      where: key(tenantId, clientId),
      data: { secretHash: hashClientSecret(pepper, secret) },
    }),
    adminActionRecord(prisma, admin, {
      action: 'client.rotate_secret',
      tenantId,
      target: clientId,
    }),
    configChanged(prisma),
  ]);
  return { secret };
}

/** A disabled client cannot authenticate. An unknown client fails with P2025. */
export async function setClientDisabled(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  clientId: string,
  disabled: boolean,
): Promise<void> {
  await prisma.$transaction([
    prisma.client.update({ where: key(tenantId, clientId), data: { disabled } }),
    adminActionRecord(prisma, admin, {
      action: disabled ? 'client.disable' : 'client.enable',
      tenantId,
      target: clientId,
    }),
    configChanged(prisma),
  ]);
}

/** An unknown client fails with P2025. */
export async function deleteClient(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  clientId: string,
): Promise<void> {
  await prisma.$transaction([
    prisma.client.delete({ where: key(tenantId, clientId) }),
    adminActionRecord(prisma, admin, { action: 'client.delete', tenantId, target: clientId }),
    configChanged(prisma),
  ]);
}

/** The auth columns: a secret method keeps `secretHash` and no keys; private_key_jwt the reverse. */
function authColumns(input: ClientAuth, secretHash: string | null) {
  const keys = !usesSecret(input.authMethod);
  return {
    authMethod: input.authMethod,
    secretHash: keys ? null : secretHash,
    jwks: keys && input.jwks ? JSON.stringify(input.jwks) : null,
    jwksUri: keys ? (input.jwksUri ?? null) : null,
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
