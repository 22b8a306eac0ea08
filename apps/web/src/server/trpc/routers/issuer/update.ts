import { updateTrustedIssuer } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZTrustedIssuerSchema } from './issuer.schema';

/** The issuer URL names the entry (rules refer to it): keys, audiences and algorithms change. */
export const updateIssuerProcedure = tenantWriteProcedure
  .input(ZTrustedIssuerSchema)
  .mutation(async ({ ctx, input: { tenantId, ...issuer } }) => {
    await updateTrustedIssuer(ctx.console, ctx.admin, tenantId, issuer);
    return { issuer: issuer.issuer };
  });
