import { setClientEnabled } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZSetClientEnabledSchema } from './client.schema';

/** Enables or disables a client (recorded as client.enable / client.disable). */
export const setClientEnabledProcedure = tenantWriteProcedure
  .input(ZSetClientEnabledSchema)
  .mutation(({ ctx, input }) =>
    setClientEnabled(ctx.console, ctx.admin, input.tenantId, input.clientId, input.enabled),
  );
