import { deleteTrustedIssuer } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZIssuerRefSchema } from './issuer.schema';

export const deleteIssuerProcedure = tenantWriteProcedure
  .input(ZIssuerRefSchema)
  .mutation(({ ctx, input }) =>
    deleteTrustedIssuer(ctx.console, ctx.admin, input.tenantId, input.issuer),
  );
