import { rotateSigningKey } from '@sts/console';
import { tenantAnySourceWriteProcedure } from '../../trpc';

/** A new pending key: published now, signing after the pre-publication delay (decision 0020). */
export const rotateKeyProcedure = tenantAnySourceWriteProcedure.mutation(({ ctx, input }) =>
  rotateSigningKey(ctx.console, ctx.admin, input.tenantId),
);
