import { runSimulation } from '@sts/console';
import { canWrite } from '@sts/console/access';
import { tenantReadProcedure } from '../../trpc';
import { ZRunSimulationSchema } from './simulator.schema';

/**
 * Runs an exchange through core's exchange() without issuing or recording anything: a read, so
 * viewers may run it. Composed tokens come back signed only to admins who may change the tenant:
 * once the tenant trusts its test issuer, such a token is a real credential.
 */
export const runSimulationProcedure = tenantReadProcedure
  .input(ZRunSimulationSchema)
  .mutation(({ ctx, input }) =>
    runSimulation(ctx.console, { showComposedTokens: canWrite(ctx.admin, input.tenantId) }, input),
  );
