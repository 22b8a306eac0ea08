import { type TrustedIssuerConfig, TrustedIssuerSchema } from '@sts/core';
import type { Database } from '../open';
import { toTrustedIssuer } from '../repositories/config';
import { parseStored, parseStoredJson } from '../repositories/stored';
import { adminActionRecord, configChanged } from './admin-actions';
import type { Admin } from './admin-users';
import { ConflictError } from './tenants';

type Prisma = Database['prisma'];

const key = (tenantId: string, issuer: string) => ({ tenantId_issuer: { tenantId, issuer } });

/** The tenant's trusted issuers, by issuer URL; stored JSON validated as the STS validates it. */
export async function listTrustedIssuers(
  prisma: Prisma,
  tenantId: string,
): Promise<TrustedIssuerConfig[]> {
  const rows = await prisma.trustedIssuer.findMany({
    where: { tenantId },
    orderBy: { issuer: 'asc' },
  });
  return rows.map(toTrustedIssuer);
}

export async function createTrustedIssuer(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  input: TrustedIssuerConfig,
): Promise<void> {
  const existing = await prisma.trustedIssuer.findUnique({
    where: key(tenantId, input.issuer),
    select: { issuer: true },
  });
  if (existing) throw new ConflictError(`The issuer ${input.issuer} is trusted already`);
  await prisma.$transaction([
    prisma.trustedIssuer.create({
      // connect: an unknown tenant fails as "not found" (P2025), not as a foreign key error.
      data: { tenant: { connect: { id: tenantId } }, ...columns(input) },
    }),
    adminActionRecord(prisma, admin, {
      action: 'issuer.create',
      tenantId,
      target: input.issuer,
      details: details(input),
    }),
    configChanged(prisma),
  ]);
}

/** Replaces the keys, audiences and algorithms of a trusted issuer (P2025 when unknown). */
export async function updateTrustedIssuer(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  input: TrustedIssuerConfig,
): Promise<void> {
  const { issuer, ...data } = columns(input);
  await prisma.$transaction([
    prisma.trustedIssuer.update({ where: key(tenantId, issuer), data }),
    adminActionRecord(prisma, admin, {
      action: 'issuer.update',
      tenantId,
      target: issuer,
      details: details(input),
    }),
    configChanged(prisma),
  ]);
}

/** P2025 when unknown. Rules naming the issuer stay; they no longer match its tokens. */
export async function deleteTrustedIssuer(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  issuer: string,
): Promise<void> {
  await prisma.$transaction([
    prisma.trustedIssuer.delete({ where: key(tenantId, issuer) }),
    adminActionRecord(prisma, admin, { action: 'issuer.delete', tenantId, target: issuer }),
    configChanged(prisma),
  ]);
}

function columns(input: TrustedIssuerConfig) {
  return {
    issuer: input.issuer,
    jwksUri: input.jwksUri ?? null,
    jwks: input.jwks ? JSON.stringify(input.jwks) : null,
    audiences: JSON.stringify(input.audiences),
    algorithms: JSON.stringify(input.algorithms),
  };
}

/** Inline keys are recorded by kid: the action log stays readable. */
function details(input: TrustedIssuerConfig) {
  return {
    jwksUri: input.jwksUri,
    jwksKids: input.jwks?.keys.map((k) => k.kid ?? null),
    audiences: input.audiences,
    algorithms: input.algorithms,
  };
}
