import { signingKeySchedule } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';

/** The tenant's rotation period (keyRotationDays) and the date of its next scheduled rotation. */
export const keyScheduleProcedure = tenantReadProcedure.query(({ ctx, input }) =>
  signingKeySchedule(ctx.console, input.tenantId),
);
