import { listSigningKeys } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

/** The tenant's signing keys with their public JWKs; private parts are never read. */
export const listKeysProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  listSigningKeys(ctx.console, input.tenantId),
);
