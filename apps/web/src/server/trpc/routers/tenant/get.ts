import { getTenant } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantReadProcedure } from '../../trpc';
import { issuerUrls } from './issuer-urls';

export const getTenantProcedure = tenantReadProcedure.query(async ({ ctx, input }) => {
  const tenant = await getTenant(ctx.database.prisma, input.tenantId);
  if (!tenant) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
  return { ...tenant, ...issuerUrls(tenant.id) };
});
