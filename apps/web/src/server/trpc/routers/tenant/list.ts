import { listTenants } from '@sts/console';
import { protectedProcedure } from '../../trpc';

export const listTenantsProcedure = protectedProcedure.query(({ ctx }) =>
  listTenants(ctx.console, ctx.admin),
);
