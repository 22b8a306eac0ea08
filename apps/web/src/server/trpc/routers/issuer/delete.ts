import { deleteTrustedIssuer } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { ZIssuerRefSchema } from './issuer.schema';

export const deleteIssuerProcedure = tenantWriteProcedure
  .input(ZIssuerRefSchema)
  .mutation(async ({ ctx, input }) => {
    await deleteTrustedIssuer(ctx.database.prisma, ctx.admin, input.tenantId, input.issuer);
  });
