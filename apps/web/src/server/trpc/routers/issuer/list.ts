import { listTrustedIssuers } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

export const listIssuersProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  listTrustedIssuers(ctx.console, input.tenantId),
);
