import 'server-only';
import type { Admin } from '@sts/console';
import {
  APP_ERRORS,
  assertConsoleManaged,
  type ConsoleContext,
  sessionAdmin,
  toAppError,
} from '@sts/console';
import { canRead, canWrite } from '@sts/console/access';
import { initTRPC, TRPCError } from '@trpc/server';
import { getServerSession } from 'next-auth';
import superjson from 'superjson';
import { z } from 'zod';
import { authOptions, type ConsoleSession } from '../auth';
import { consoleServer } from '../console';

export interface Context {
  console: ConsoleContext;
  admin: Admin | null;
}

/** The request context: the console's services and the signed-in admin, read fresh (role changes apply at once). */
export async function createContext(): Promise<Context> {
  const { ctx } = await consoleServer();
  const session = (await getServerSession(await authOptions())) as ConsoleSession | null;
  // Role, status and the admin's sessionsValidAfter, read now (decision 0017).
  const admin = session?.adminId
    ? await sessionAdmin(ctx, session.adminId, session.signedInAt)
    : null;
  return { console: ctx, admin };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Field errors for forms (the input schema's, or a service's); never a stack or an internal
    // message for anything unexpected.
    const zod = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    const app = toAppError(error.cause);
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? 'Something went wrong on the server' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        appCode: app?.code ?? null,
        fieldErrors: zod?.fieldErrors ?? app?.fieldErrors ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The one mapping of the console's errors (@sts/console APP_ERRORS) to tRPC codes. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const app = toAppError(result.error.cause);
    if (app)
      throw new TRPCError({
        code: APP_ERRORS[app.code].trpcCode,
        message: app.message,
        cause: app,
      });
  }
  return result;
});

/**
 * No sign-in needed: only the invitation page (its link's one-time token is the credential).
 * Everything else starts from protectedProcedure or one built on it.
 */
export const publicProcedure = t.procedure.use(mapAppErrors);

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

/**
 * Tenant writers' procedures that the configuration file does not stand in the way of: its keys
 * (not in the file), detaching it from the file, and the issuer dialog's checks (they change
 * nothing). Everything that changes what the file declares is `tenantWriteProcedure`.
 */
export const tenantAnySourceWriteProcedure = protectedProcedure
  .input(TenantInput)
  .use(({ ctx, input, next }) => {
    if (!canRead(ctx.admin, input.tenantId))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
    if (!canWrite(ctx.admin, input.tenantId))
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role may not change this tenant' });
    return next();
  });

/**
 * Changes to a tenant's settings, clients, trusted issuers or rules. Refused (CONFLICT) for a
 * tenant the configuration file manages (decision 0023): secure by default, a new procedure gets
 * the check unless it opts out above.
 */
export const tenantWriteProcedure = tenantAnySourceWriteProcedure.use(
  async ({ ctx, input, next }) => {
    await assertConsoleManaged(ctx.console, input.tenantId);
    return next();
  },
);
