import { trustTestIssuer } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { testIssuerUrl } from './simulation';
import { ZTrustTestIssuerSchema } from './simulator.schema';

/** Adds the tenant's test issuer as a trusted issuer with its public key inline (an admin action). */
export const trustTestIssuerProcedure = tenantWriteProcedure
  .input(ZTrustTestIssuerSchema)
  .mutation(({ ctx, input }) =>
    trustTestIssuer(
      ctx.database.prisma,
      ctx.admin,
      ctx.keys.keyEncryptionKey,
      input.tenantId,
      testIssuerUrl(input.tenantId),
    ),
  );
