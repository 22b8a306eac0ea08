import { updateClient } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZUpdateClientSchema } from './client.schema';

export const updateClientProcedure = tenantWriteProcedure
  .input(ZUpdateClientSchema)
  .mutation(async ({ ctx, input: { tenantId, clientId, ...settings } }) => {
    await updateClient(ctx.database.prisma, ctx.admin, tenantId, clientId, settings);
  });
