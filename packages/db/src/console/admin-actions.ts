import { monotonicFactory } from 'ulid';
import type { Database } from '../open';
import type { Admin } from './admin-users';

const ulid = monotonicFactory();

export interface AdminActionInput {
  action: string;
  tenantId?: string;
  target?: string;
  /** What changed; never a secret. */
  details?: Record<string, unknown>;
}

/**
 * The create operation for one admin action record, to put in the same `$transaction([...])`
 * as the change it records: no change without its record.
 */
export function adminActionRecord(
  prisma: Database['prisma'],
  admin: Admin,
  input: AdminActionInput,
) {
  return prisma.adminAction.create({
    data: {
      id: ulid(),
      actorId: admin.id,
      actorEmail: admin.email,
      action: input.action,
      tenantId: input.tenantId ?? null,
      target: input.target ?? null,
      details: JSON.stringify(input.details ?? {}),
    },
  });
}

/** The operation that tells running STS processes to reload (config_version). */
export function configChanged(prisma: Database['prisma']) {
  return prisma.configVersion.upsert({
    where: { id: 1 },
    create: { id: 1, version: 1 },
    update: { version: { increment: 1 } },
  });
}
