import type { TenantConfig } from '@sts/core';
import type { Database } from '../open';
import { adminActionRecord, configChanged } from './admin-actions';
import type { Admin } from './admin-users';

type Prisma = Database['prisma'];
export type TenantSettings = Pick<
  TenantConfig,
  'id' | 'displayName' | 'accessTokenTtlSeconds' | 'signingAlg'
>;

export interface TenantSummary extends TenantSettings {
  source: string;
  clients: number;
  trustedIssuers: number;
  rules: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Tenants the admin may see, with counts. */
export async function listTenants(prisma: Prisma, admin: Admin): Promise<TenantSummary[]> {
  const rows = await prisma.tenant.findMany({
    where: admin.role === 'owner' ? {} : { id: { in: admin.tenantIds } },
    orderBy: { id: 'asc' },
    include: { _count: { select: { clients: true, trustedIssuers: true, rules: true } } },
  });
  return rows.map(({ _count, signingAlg, ...t }) => ({
    ...t,
    signingAlg: signingAlg as TenantSettings['signingAlg'],
    clients: _count.clients,
    trustedIssuers: _count.trustedIssuers,
    rules: _count.rules,
  }));
}

export async function getTenant(prisma: Prisma, tenantId: string): Promise<TenantSummary | null> {
  const row = await prisma.tenant.findUnique({
    where: { id: tenantId },
    include: { _count: { select: { clients: true, trustedIssuers: true, rules: true } } },
  });
  if (!row) return null;
  const { _count, signingAlg, ...t } = row;
  return {
    ...t,
    signingAlg: signingAlg as TenantSettings['signingAlg'],
    clients: _count.clients,
    trustedIssuers: _count.trustedIssuers,
    rules: _count.rules,
  };
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

export async function createTenant(
  prisma: Prisma,
  admin: Admin,
  input: TenantSettings,
): Promise<void> {
  if (await prisma.tenant.findUnique({ where: { id: input.id } }))
    throw new ConflictError(`A tenant with id "${input.id}" already exists`);
  await prisma.$transaction([
    prisma.tenant.create({ data: { ...input, source: 'console' } }),
    adminActionRecord(prisma, admin, {
      action: 'tenant.create',
      tenantId: input.id,
      details: { ...input },
    }),
    configChanged(prisma),
  ]);
}

export async function updateTenant(
  prisma: Prisma,
  admin: Admin,
  tenantId: string,
  input: Omit<TenantSettings, 'id'>,
): Promise<void> {
  await prisma.$transaction([
    prisma.tenant.update({ where: { id: tenantId }, data: input }),
    adminActionRecord(prisma, admin, { action: 'tenant.update', tenantId, details: { ...input } }),
    configChanged(prisma),
  ]);
}

/** Deletes the tenant with its clients, trusted issuers, rules and keys (audit records stay). */
export async function deleteTenant(prisma: Prisma, admin: Admin, tenantId: string): Promise<void> {
  await prisma.$transaction([
    prisma.tenant.delete({ where: { id: tenantId } }),
    adminActionRecord(prisma, admin, { action: 'tenant.delete', tenantId }),
    configChanged(prisma),
  ]);
}
