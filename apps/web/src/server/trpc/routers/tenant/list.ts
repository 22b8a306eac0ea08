import { listTenants } from '@sts/db';
import { protectedProcedure } from '../../trpc';
import { issuerUrls } from './issuer-urls';

export const listTenantsProcedure = protectedProcedure.query(async ({ ctx }) => {
  const tenants = await listTenants(ctx.database.prisma, ctx.admin);
  return tenants.map((t) => ({ ...t, ...issuerUrls(t.id) }));
});
