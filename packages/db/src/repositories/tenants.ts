import { SIGNING_ALGS, type TenantConfig } from '@sts/core';
import { ConflictError, NotFoundError } from '../errors';
import { type AdminChange, changeOps, recordChange } from '../internal/changes';
import type { Handles } from '../internal/handles';
import { translated } from '../internal/prisma-errors';
import { value } from '../internal/sql';
import { oneOf } from '../internal/stored';

export type TenantSettings = Pick<
  TenantConfig,
  'id' | 'displayName' | 'accessTokenTtlSeconds' | 'signingAlg'
> & {
  /** Scheduled signing key rotation, in days; absent or null: on demand only. */
  keyRotationDays?: number | null;
};

/**
 * Who manages a tenant: the configuration file (applied at every STS start; read-only in the
 * console) or the console. Decision 0023.
 */
export type TenantSource = 'file' | 'console';

/** Why a detach is refused, in words the console shows. */
export const DETACH_NOT_FILE_MANAGED = 'This tenant is not managed by the configuration file';

export interface TenantRecord extends TenantSettings {
  keyRotationDays: number | null;
  source: TenantSource;
  /** When an admin detached it from the configuration file (console-managed since). */
  detachedAt: Date | null;
  /** When a start found it no longer in the file and kept it (console-managed since). */
  removedFromFileAt: Date | null;
  /** How many clients, trusted issuers and rules it has. */
  clients: number;
  trustedIssuers: number;
  rules: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface TenantRepository {
  /** The tenants with these ids (all of them when `ids` is undefined), by id. */
  list(ids?: readonly string[]): Promise<TenantRecord[]>;
  /** NotFoundError when there is no such tenant. */
  get(id: string): Promise<TenantRecord>;
  /** ConflictError when the id is taken. */
  create(settings: TenantSettings, change: AdminChange): Promise<void>;
  update(id: string, settings: Omit<TenantSettings, 'id'>, change: AdminChange): Promise<void>;
  /** Deletes the tenant with its clients, trusted issuers, rules and keys (audit records stay). */
  delete(id: string, change: AdminChange): Promise<void>;
  /**
   * Makes a file-managed tenant console-managed: editable in the console, and no longer applied
   * from the file (decision 0023). NotFoundError for an unknown tenant, ConflictError for one
   * the file does not manage. `change` is recorded in the same transaction.
   */
  detach(id: string, change: AdminChange): Promise<void>;
}

const COUNTS = { _count: { select: { clients: true, trustedIssuers: true, rules: true } } };

export function tenantRepository(h: Handles): TenantRepository {
  const { prisma } = h;
  return {
    async list(ids) {
      const rows = await prisma.tenant.findMany({
        where: ids === undefined ? {} : { id: { in: [...ids] } },
        orderBy: { id: 'asc' },
        include: COUNTS,
      });
      return rows.map(toRecord);
    },
    async get(id) {
      const row = await translated('tenant', id, () =>
        prisma.tenant.findUniqueOrThrow({ where: { id }, include: COUNTS }),
      );
      return toRecord(row);
    },
    async create(settings, change) {
      if (await prisma.tenant.findUnique({ where: { id: settings.id }, select: { id: true } }))
        throw new ConflictError('tenant', settings.id);
      await translated('tenant', settings.id, () =>
        prisma.$transaction([
          prisma.tenant.create({
            data: {
              ...settings,
              keyRotationDays: settings.keyRotationDays ?? null,
              source: 'console',
            },
          }),
          ...changeOps(h, change, settings.id),
        ]),
      );
    },
    async update(id, settings, change) {
      await translated('tenant', id, () =>
        prisma.$transaction([
          prisma.tenant.update({
            where: { id },
            // The settings alone, whatever else the caller's object holds.
            data: {
              displayName: settings.displayName,
              accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
              signingAlg: settings.signingAlg,
              keyRotationDays: settings.keyRotationDays ?? null,
            },
          }),
          ...changeOps(h, change, id),
        ]),
      );
    },
    detach(id, change) {
      return h.sql.write(async (tx) => {
        const source = await value<string>(tx, 'SELECT "source" FROM "tenants" WHERE "id" = ?', [
          id,
        ]);
        if (source === undefined) throw new NotFoundError('tenant', id);
        if (source !== 'file')
          throw new ConflictError('tenant', undefined, DETACH_NOT_FILE_MANAGED);
        const now = new Date(h.clock());
        await tx.run(
          `UPDATE "tenants" SET "source" = 'console', "detached_at" = ?, "updated_at" = ? WHERE "id" = ? AND "source" = 'file'`,
          [now, now, id],
        );
        await recordChange(tx, h, change, id);
      });
    },
    async delete(id, change) {
      await translated('tenant', id, () =>
        prisma.$transaction([prisma.tenant.delete({ where: { id } }), ...changeOps(h, change, id)]),
      );
    },
  };
}

interface TenantRow {
  id: string;
  displayName: string;
  accessTokenTtlSeconds: number;
  signingAlg: string;
  keyRotationDays: number | null;
  source: string;
  detachedAt: Date | null;
  removedFromFileAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  _count: { clients: number; trustedIssuers: number; rules: number };
}

function toRecord({ _count, ...t }: TenantRow): TenantRecord {
  return {
    ...t,
    signingAlg: oneOf(SIGNING_ALGS, t.signingAlg, `tenant ${t.id}: signing_alg`),
    source: oneOf(['file', 'console'], t.source, `tenant ${t.id}: source`),
    ..._count,
  };
}
