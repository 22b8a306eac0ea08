import { deleteClient } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZClientRefSchema } from './client.schema';

export const deleteClientProcedure = tenantWriteProcedure
  .input(ZClientRefSchema)
  .mutation(({ ctx, input }) =>
    deleteClient(ctx.console, ctx.admin, input.tenantId, input.clientId),
  );
