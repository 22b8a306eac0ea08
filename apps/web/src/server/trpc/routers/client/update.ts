import { updateClient } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZUpdateClientSchema } from './client.schema';

export const updateClientProcedure = tenantWriteProcedure
  .input(ZUpdateClientSchema)
  .mutation(({ ctx, input: { tenantId, clientId, ...settings } }) =>
    updateClient(ctx.console, ctx.admin, tenantId, clientId, settings),
  );
