import { createClient, type GeneratedSecret } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZCreateClientSchema } from './client.schema';

/** For the client_secret_* methods the response holds the generated secret: the only time it is shown. */
export const createClientProcedure = tenantWriteProcedure
  .input(ZCreateClientSchema)
  .mutation(
    ({ ctx, input: { tenantId, ...client } }): Promise<GeneratedSecret> =>
      createClient(ctx.console, ctx.admin, tenantId, client),
  );
