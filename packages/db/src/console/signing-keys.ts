import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { SigningAlg } from '@sts/core';
import type { Database } from '../open';
import { rotateKey, type SigningKeyStatus } from '../repositories/signing-keys';
import { parseStoredJson } from '../repositories/stored';
import { adminActionRecord } from './admin-actions';
import type { Admin } from './admin-users';

/** A signing key as the console shows it: public parts only. */
export interface SigningKeySummary {
  kid: string;
  alg: SigningAlg;
  status: SigningKeyStatus;
  publicJwk: JsonWebKey;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

const STATUS_ORDER: Record<string, number> = { active: 0, next: 1, retiring: 2, retired: 3 };

/**
 * The tenant's keys, active first, then next, retiring and retired, newest first within each.
 * Reads the public columns only: the encrypted private key is never selected, let alone
 * decrypted (loadKeys is for the STS).
 */
export async function listSigningKeys(
  prisma: Database['prisma'],
  tenantId: string,
): Promise<SigningKeySummary[]> {
  const rows = await prisma.signingKey.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: {
      id: true,
      alg: true,
      status: true,
      publicJwk: true,
      createdAt: true,
      activatedAt: true,
      retiredAt: true,
    },
  });
  return rows
    .map(({ id, publicJwk, ...row }) => ({
      ...row,
      kid: id,
      alg: row.alg as SigningAlg,
      status: row.status as SigningKeyStatus,
      publicJwk: parseStoredJson(
        publicJwk,
        `tenant ${tenantId}, signing key ${id}: public_jwk`,
      ) as JsonWebKey,
    }))
    .sort((a, b) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9));
}

/**
 * Makes a new key of the tenant's signingAlg the active one; the previous active key starts
 * retiring (it still verifies tokens it signed). rotateKey bumps the configuration version, so
 * running STS processes sign with the new key within about a second. Null for an unknown tenant.
 */
export async function rotateSigningKey(
  database: Pick<Database, 'sqlite' | 'prisma'>,
  admin: Admin,
  kek: KeyObject,
  tenantId: string,
): Promise<{ kid: string; previousKid: string | null } | null> {
  const { prisma } = database;
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (!tenant) return null;
  const previous = await prisma.signingKey.findFirst({
    where: { tenantId, status: 'active' },
    select: { id: true },
  });
  const keys = await rotateKey(database, kek, tenantId);
  const active = keys.find((k) => k.status === 'active');
  if (!active) throw new Error(`tenant ${tenantId}: no active key after rotation`);
  // Not in the same transaction as the rotation: rotateKey writes synchronously through the
  // better-sqlite3 connection (its own BEGIN IMMEDIATE transaction, see repositories/sql.ts),
  // while admin action records are written through Prisma's connection; one transaction cannot
  // span both. The record follows right after the committed rotation; should it fail, the
  // rotation stands unrecorded (a new key is harmless), and the error reaches the admin.
  await adminActionRecord(prisma, admin, {
    action: 'key.rotate',
    tenantId,
    target: active.kid,
    details: { alg: active.alg, previousKid: previous?.id ?? null },
  });
  return { kid: active.kid, previousKid: previous?.id ?? null };
}
