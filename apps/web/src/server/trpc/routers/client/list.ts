import { listClients } from '@sts/db';
import { tenantReadProcedure } from '../../trpc';

/** The tenant's clients; the listing never includes a secret or its hash. */
export const listClientsProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  listClients(ctx.database.prisma, input.tenantId),
);
