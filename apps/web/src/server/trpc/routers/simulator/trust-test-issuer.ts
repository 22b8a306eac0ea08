import { trustTestIssuer } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZTrustTestIssuerSchema } from './simulator.schema';

/** Adds the tenant's test issuer as a trusted issuer with its public key inline (an admin action). */
export const trustTestIssuerProcedure = tenantWriteProcedure
  .input(ZTrustTestIssuerSchema)
  .mutation(({ ctx, input }) => trustTestIssuer(ctx.console, ctx.admin, input.tenantId));
