import { deleteClient } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZClientRefSchema } from './client.schema';

export const deleteClientProcedure = tenantWriteProcedure
  .input(ZClientRefSchema)
  .mutation(async ({ ctx, input }) => {
    await deleteClient(ctx.database.prisma, ctx.admin, input.tenantId, input.clientId);
  });
