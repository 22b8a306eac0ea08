import { setClientDisabled } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZSetClientEnabledSchema } from './client.schema';

/** Enables or disables a client (recorded as client.enable / client.disable). */
export const setClientEnabledProcedure = tenantWriteProcedure
  .input(ZSetClientEnabledSchema)
  .mutation(async ({ ctx, input }) => {
    await setClientDisabled(
      ctx.database.prisma,
      ctx.admin,
      input.tenantId,
      input.clientId,
      !input.enabled,
    );
  });
