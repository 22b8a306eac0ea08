import { canWrite, tenantReadProcedure } from '../../trpc';
import { runSimulation } from './simulation';
import { ZRunSimulationSchema } from './simulator.schema';

/**
 * Runs an exchange through core's exchange() without issuing or recording anything: a read, so
 * viewers may run it. Composed tokens come back signed only to admins who may change the tenant:
 * once the tenant trusts its test issuer, such a token is a real credential.
 */
export const runSimulationProcedure = tenantReadProcedure
  .input(ZRunSimulationSchema)
  .mutation(({ ctx, input }) =>
    runSimulation(
      {
        prisma: ctx.database.prisma,
        keyEncryptionKey: ctx.keys.keyEncryptionKey,
        showComposedTokens: canWrite(ctx.admin, input.tenantId),
      },
      input,
    ),
  );
