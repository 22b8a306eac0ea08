import { createTrustedIssuer } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZTrustedIssuerSchema } from './issuer.schema';

export const createIssuerProcedure = tenantWriteProcedure
  .input(ZTrustedIssuerSchema)
  .mutation(async ({ ctx, input: { tenantId, ...issuer } }) => {
    await createTrustedIssuer(ctx.console, ctx.admin, tenantId, issuer);
    return { issuer: issuer.issuer };
  });
