import { listTrustedIssuers } from '@sts/db';
import { tenantReadProcedure } from '../../trpc';

export const listIssuersProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  listTrustedIssuers(ctx.database.prisma, input.tenantId),
);
