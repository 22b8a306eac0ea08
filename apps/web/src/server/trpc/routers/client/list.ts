import { listClients } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

/** The tenant's clients; the listing never includes a secret or its hash. */
export const listClientsProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  listClients(ctx.console, input.tenantId),
);
