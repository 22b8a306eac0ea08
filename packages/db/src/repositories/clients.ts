import { CLIENT_AUTH_METHODS, type ClientAuthMethod, type Jwks, JwksSchema } from '@sts/core';
import { ConflictError } from '../errors';
import { type AdminChange, changeOps } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { translated } from '../internal/prisma-errors';
import { oneOf, parseStored, parseStoredJson } from '../internal/stored';

/** A client as the console shows it: never its secret hash. */
export interface ClientRecord {
  clientId: string;
  displayName: string | null;
  authMethod: ClientAuthMethod;
  jwks: Jwks | null;
  jwksUri: string | null;
  allowTokenExchange: boolean;
  /** May call the introspection endpoint (RFC 7662). */
  allowIntrospection: boolean;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * How a client authenticates. A client of a client_secret_* method always has a secret's hash:
 * `secretHash` replaces it, or, when undefined, the stored one stays (it must exist).
 * private_key_jwt keeps exactly one of `jwks` and `jwksUri`, and never a hash.
 */
export interface ClientCredentials {
  authMethod: ClientAuthMethod;
  secretHash?: string;
  jwks?: Jwks;
  jwksUri?: string;
}

export interface NewClient {
  clientId: string;
  displayName?: string;
  allowTokenExchange: boolean;
  /** Default false. */
  allowIntrospection?: boolean;
  credentials: ClientCredentials;
}

export interface ClientSettings {
  displayName?: string;
  allowTokenExchange: boolean;
  /** Unchanged when undefined. */
  allowIntrospection?: boolean;
}

/** Every change fails with NotFoundError when the client (or, for create, the tenant) does not exist. */
export interface ClientRepository {
  list(tenantId: string): Promise<ClientRecord[]>;
  get(tenantId: string, clientId: string): Promise<ClientRecord>;
  /** ConflictError when the client id is taken within the tenant. */
  create(tenantId: string, client: NewClient, change: AdminChange): Promise<void>;
  update(
    tenantId: string,
    clientId: string,
    settings: ClientSettings,
    change: AdminChange,
  ): Promise<void>;
  setCredentials(
    tenantId: string,
    clientId: string,
    credentials: ClientCredentials,
    change: AdminChange,
  ): Promise<void>;
  setDisabled(
    tenantId: string,
    clientId: string,
    disabled: boolean,
    change: AdminChange,
  ): Promise<void>;
  delete(tenantId: string, clientId: string, change: AdminChange): Promise<void>;
}

const PUBLIC_COLUMNS = {
  tenantId: true,
  clientId: true,
  displayName: true,
  authMethod: true,
  secretHash: true,
  jwks: true,
  jwksUri: true,
  allowTokenExchange: true,
  allowIntrospection: true,
  disabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

const usesSecret = (method: ClientAuthMethod) => method !== 'private_key_jwt';
const key = (tenantId: string, clientId: string) => ({ tenantId_clientId: { tenantId, clientId } });

export function clientRepository(h: Handles): ClientRepository {
  const { prisma } = h;
  const get = (tenantId: string, clientId: string) =>
    translated('client', clientId, () =>
      prisma.client.findUniqueOrThrow({
        where: key(tenantId, clientId),
        select: PUBLIC_COLUMNS,
      }),
    ).then(toRecord);
  const change = (
    tenantId: string,
    clientId: string,
    data: Parameters<typeof prisma.client.update>[0]['data'],
    recorded: AdminChange,
  ) =>
    translated('client', clientId, () =>
      prisma.$transaction([
        prisma.client.update({ where: key(tenantId, clientId), data }),
        ...changeOps(h, recorded, tenantId),
      ]),
    ).then(() => undefined);

  return {
    async list(tenantId) {
      const rows = await prisma.client.findMany({
        where: { tenantId },
        orderBy: { clientId: 'asc' },
        select: PUBLIC_COLUMNS,
      });
      return rows.map(toRecord);
    },
    get,
    async create(tenantId, client, recorded) {
      const existing = await prisma.client.findUnique({
        where: key(tenantId, client.clientId),
        select: { clientId: true },
      });
      if (existing) throw new ConflictError('client', client.clientId);
      // connect: an unknown tenant is "not found" rather than a foreign key failure.
      await translated(
        'client',
        client.clientId,
        () =>
          prisma.$transaction([
            prisma.client.create({
              data: {
                tenant: { connect: { id: tenantId } },
                clientId: client.clientId,
                displayName: client.displayName ?? null,
                allowTokenExchange: client.allowTokenExchange,
                allowIntrospection: client.allowIntrospection ?? false,
                disabled: false,
                ...credentialColumns(client.credentials, null),
              },
            }),
            ...changeOps(h, recorded, tenantId),
          ]),
        ['tenant', tenantId],
      );
    },
    update: (tenantId, clientId, settings, recorded) =>
      change(
        tenantId,
        clientId,
        {
          displayName: settings.displayName ?? null,
          allowTokenExchange: settings.allowTokenExchange,
          allowIntrospection: settings.allowIntrospection,
        },
        recorded,
      ),
    async setCredentials(tenantId, clientId, credentials, recorded) {
      const row = await prisma.client.findUnique({
        where: key(tenantId, clientId),
        select: { secretHash: true },
      });
      return change(
        tenantId,
        clientId,
        credentialColumns(credentials, row?.secretHash ?? null),
        recorded,
      );
    },
    setDisabled: (tenantId, clientId, disabled, recorded) =>
      change(tenantId, clientId, { disabled }, recorded),
    async delete(tenantId, clientId, recorded) {
      await translated('client', clientId, () =>
        prisma.$transaction([
          prisma.client.delete({ where: key(tenantId, clientId) }),
          ...changeOps(h, recorded, tenantId),
        ]),
      );
    },
  };
}

/** The columns of `credentials`: a secret method keeps a hash and no keys; private_key_jwt the reverse. */
function credentialColumns(credentials: ClientCredentials, storedHash: string | null) {
  if (!usesSecret(credentials.authMethod))
    return {
      authMethod: credentials.authMethod,
      secretHash: null,
      jwks: credentials.jwks ? JSON.stringify(credentials.jwks) : null,
      jwksUri: credentials.jwksUri ?? null,
    };
  const secretHash = credentials.secretHash ?? storedHash;
  if (secretHash === null)
    throw new ConflictError('client', undefined, `${credentials.authMethod} needs a secret`);
  return { authMethod: credentials.authMethod, secretHash, jwks: null, jwksUri: null };
}

type ClientRow = {
  tenantId: string;
  clientId: string;
  displayName: string | null;
  authMethod: string;
  secretHash: string | null;
  jwks: string | null;
  jwksUri: string | null;
  allowTokenExchange: boolean;
  allowIntrospection: boolean;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};

function toRecord({ tenantId, secretHash: _, ...row }: ClientRow): ClientRecord {
  const where = `tenant ${tenantId}, client ${row.clientId}`;
  return {
    ...row,
    authMethod: oneOf(CLIENT_AUTH_METHODS, row.authMethod, `${where}: auth_method`),
    jwks:
      row.jwks === null
        ? null
        : parseStored(JwksSchema, parseStoredJson(row.jwks, `${where}: jwks`), `${where}: jwks`),
  };
}
