import { createTrustedIssuer } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { checkFetchableJwksUri } from './fetchable-jwks-uri';
import { ZTrustedIssuerSchema } from './issuer.schema';

export const createIssuerProcedure = tenantWriteProcedure
  .input(ZTrustedIssuerSchema.superRefine(checkFetchableJwksUri))
  .mutation(async ({ ctx, input: { tenantId, ...issuer } }) => {
    await createTrustedIssuer(ctx.database.prisma, ctx.admin, tenantId, issuer);
    return { issuer: issuer.issuer };
  });
