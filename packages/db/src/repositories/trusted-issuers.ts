import type { TrustedIssuerConfig } from '@sts/core';
import { ConflictError } from '../errors';
import { type AdminChange, changeOps } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { toTrustedIssuer } from '../internal/mappers';
import { translated } from '../internal/prisma-errors';

/** A tenant's trusted issuers, by issuer URL (the key rules refer to). */
export interface TrustedIssuerRepository {
  list(tenantId: string): Promise<TrustedIssuerConfig[]>;
  /** ConflictError when the issuer is trusted already; NotFoundError for an unknown tenant. */
  create(tenantId: string, issuer: TrustedIssuerConfig, change: AdminChange): Promise<void>;
  /** Replaces keys, audiences, accepted typ and algorithms; NotFoundError when the issuer is not trusted. */
  update(tenantId: string, issuer: TrustedIssuerConfig, change: AdminChange): Promise<void>;
  /** Creates or replaces, recording the change it makes of it; true when it was created. */
  put(
    tenantId: string,
    issuer: TrustedIssuerConfig,
    change: (created: boolean) => AdminChange,
  ): Promise<boolean>;
  /** Rules naming the issuer stay; they no longer match its tokens. */
  delete(tenantId: string, issuer: string, change: AdminChange): Promise<void>;
}

const key = (tenantId: string, issuer: string) => ({ tenantId_issuer: { tenantId, issuer } });

export function trustedIssuerRepository(h: Handles): TrustedIssuerRepository {
  const { prisma } = h;
  const exists = async (tenantId: string, issuer: string) =>
    (await prisma.trustedIssuer.findUnique({
      where: key(tenantId, issuer),
      select: { issuer: true },
    })) !== null;
  const create = (tenantId: string, input: TrustedIssuerConfig, change: AdminChange) =>
    // connect: an unknown tenant is "not found" rather than a foreign key failure.
    translated(
      'trusted_issuer',
      input.issuer,
      () =>
        prisma.$transaction([
          prisma.trustedIssuer.create({
            data: { tenant: { connect: { id: tenantId } }, ...columns(input) },
          }),
          ...changeOps(h, change, tenantId),
        ]),
      ['tenant', tenantId],
    );
  const update = (tenantId: string, input: TrustedIssuerConfig, change: AdminChange) => {
    const { issuer, ...data } = columns(input);
    return translated('trusted_issuer', issuer, () =>
      prisma.$transaction([
        prisma.trustedIssuer.update({ where: key(tenantId, issuer), data }),
        ...changeOps(h, change, tenantId),
      ]),
    );
  };

  return {
    async list(tenantId) {
      const rows = await prisma.trustedIssuer.findMany({
        where: { tenantId },
        orderBy: { issuer: 'asc' },
      });
      return rows.map(toTrustedIssuer);
    },
    async create(tenantId, input, change) {
      if (await exists(tenantId, input.issuer))
        throw new ConflictError('trusted_issuer', input.issuer);
      await create(tenantId, input, change);
    },
    async update(tenantId, input, change) {
      await update(tenantId, input, change);
    },
    async put(tenantId, input, change) {
      if (await exists(tenantId, input.issuer)) {
        await update(tenantId, input, change(false));
        return false;
      }
      await create(tenantId, input, change(true));
      return true;
    },
    async delete(tenantId, issuer, change) {
      await translated('trusted_issuer', issuer, () =>
        prisma.$transaction([
          prisma.trustedIssuer.delete({ where: key(tenantId, issuer) }),
          ...changeOps(h, change, tenantId),
        ]),
      );
    },
  };
}

function columns(input: TrustedIssuerConfig) {
  return {
    issuer: input.issuer,
    jwksUri: input.jwksUri ?? null,
    jwks: input.jwks ? JSON.stringify(input.jwks) : null,
    audiences: JSON.stringify(input.audiences),
    anyAudience: input.anyAudience,
    accessTokenTyp: JSON.stringify(input.accessTokenTyp),
    algorithms: JSON.stringify(input.algorithms),
  };
}
