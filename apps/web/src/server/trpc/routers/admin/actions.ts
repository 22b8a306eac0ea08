import { listConsoleAdminActions } from '@sts/console';
import { ownerProcedure } from '../../trpc';
import { ZListConsoleActionsSchema } from './admin.schema';

/** What owners changed console-wide (admin.*), newest first. */
export const listConsoleActionsProcedure = ownerProcedure
  .input(ZListConsoleActionsSchema)
  .query(({ ctx, input }) =>
    listConsoleAdminActions(ctx.console, {
      limit: input.pageSize,
      cursor: input.cursor ?? undefined,
    }),
  );
