import { rotateSigningKey } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';

/** A new active key at once; the previous one keeps verifying the tokens it signed. */
export const rotateKeyProcedure = tenantWriteProcedure.mutation(({ ctx, input }) =>
  rotateSigningKey(ctx.console, ctx.admin, input.tenantId),
);
