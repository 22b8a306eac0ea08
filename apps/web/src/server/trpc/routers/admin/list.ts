import { listAdmins } from '@sts/console';
import { ownerProcedure } from '../../trpc';

/** Every admin with role, tenants and status (active, invited, disabled); never a hash. */
export const listAdminsProcedure = ownerProcedure.query(({ ctx }) => listAdmins(ctx.console));
