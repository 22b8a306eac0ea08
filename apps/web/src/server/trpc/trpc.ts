import 'server-only';
import { type Admin, ConflictError, findAdmin } from '@sts/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { getServerSession } from 'next-auth';
import superjson from 'superjson';
import { z } from 'zod';
import { authOptions } from '../auth';
import { type ConsoleDatabase, consoleDb } from '../db';

export interface Context extends ConsoleDatabase {
  admin: Admin | null;
}

/** The request context: the database and the signed-in admin, read fresh (role changes apply at once). */
export async function createContext(): Promise<Context> {
  const db = await consoleDb();
  const session = (await getServerSession(await authOptions())) as { adminId?: string } | null;
  const admin = session?.adminId ? await findAdmin(db.database.prisma, session.adminId) : null;
  return { ...db, admin };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Field errors for forms; never a stack or an internal message for anything unexpected.
    const zod = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? 'Something went wrong on the server' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        fieldErrors: zod?.fieldErrors ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Store errors a person can act on become tRPC errors with their message; others stay internal. */
const mapStoreErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof ConflictError)
      throw new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
    const prismaCode = (cause as { code?: unknown } | undefined)?.code;
    if (prismaCode === 'P2025')
      throw new TRPCError({ code: 'NOT_FOUND', message: 'Not found', cause });
    if (prismaCode === 'P2002')
      throw new TRPCError({ code: 'CONFLICT', message: 'It exists already', cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapStoreErrors);

/** Any signed-in admin. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.admin) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  return next({ ctx: { ...ctx, admin: ctx.admin } });
});

/** Owners only: creating tenants, managing admins. */
export const ownerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.admin.role !== 'owner')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Owners only' });
  return next();
});

export function canRead(admin: Admin, tenantId: string): boolean {
  return admin.role === 'owner' || admin.tenantIds.includes(tenantId);
}
export function canWrite(admin: Admin, tenantId: string): boolean {
  return (
    admin.role === 'owner' || (admin.role === 'tenant_admin' && admin.tenantIds.includes(tenantId))
  );
}

const TenantInput = z.object({ tenantId: z.string().min(1).max(63) });

/**
 * Procedures on one tenant: the input names `tenantId`, and the admin must be allowed to read it
 * (owner, or a member) or, for `tenantWriteProcedure`, to change it (owner, or a tenant admin
 * member). A tenant the admin may not see answers NOT_FOUND, so its existence does not leak.
 */
export const tenantReadProcedure = protectedProcedure
  .input(TenantInput)
  .use(({ ctx, input, next }) => {
    if (!canRead(ctx.admin, input.tenantId))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
    return next();
  });

export const tenantWriteProcedure = protectedProcedure
  .input(TenantInput)
  .use(({ ctx, input, next }) => {
    if (!canRead(ctx.admin, input.tenantId))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
    if (!canWrite(ctx.admin, input.tenantId))
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role may not change this tenant' });
    return next();
  });
