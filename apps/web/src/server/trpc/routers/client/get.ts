import { clientDetail } from '@sts/console';
import { tenantReadProcedure } from '../../trpc';
import { ZClientRefSchema } from './client.schema';

/** One client with the rules that admit it and its latest exchange attempts; NOT_FOUND if unknown. */
export const getClientProcedure = tenantReadProcedure
  .input(ZClientRefSchema)
  .query(({ ctx, input }) => clientDetail(ctx.console, input.tenantId, input.clientId));
