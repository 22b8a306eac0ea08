import { rotateClientSecret } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZClientRefSchema } from './client.schema';

/** A new generated secret replaces the old one; the response is the only time it is shown. */
export const rotateClientSecretProcedure = tenantWriteProcedure
  .input(ZClientRefSchema)
  .mutation(({ ctx, input }) =>
    rotateClientSecret(ctx.console, ctx.admin, input.tenantId, input.clientId),
  );
