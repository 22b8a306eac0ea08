import { updateTrustedIssuer } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { checkFetchableJwksUri } from './fetchable-jwks-uri';
import { ZTrustedIssuerSchema } from './issuer.schema';

/** The issuer URL names the entry (rules refer to it): keys, audiences and algorithms change. */
export const updateIssuerProcedure = tenantWriteProcedure
  .input(ZTrustedIssuerSchema.superRefine(checkFetchableJwksUri))
  .mutation(async ({ ctx, input: { tenantId, ...issuer } }) => {
    await updateTrustedIssuer(ctx.database.prisma, ctx.admin, tenantId, issuer);
    return { issuer: issuer.issuer };
  });
