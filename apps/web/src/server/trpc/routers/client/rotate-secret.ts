import { rotateClientSecret } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantWriteProcedure } from '../../trpc';
import { ZClientRefSchema } from './client.schema';

/** A new generated secret replaces the old one; the response is the only time it is shown. */
export const rotateClientSecretProcedure = tenantWriteProcedure
  .input(ZClientRefSchema)
  .mutation(async ({ ctx, input }): Promise<{ clientId: string; secret: string }> => {
    const result = await rotateClientSecret(
      ctx.database.prisma,
      ctx.admin,
      ctx.keys.clientSecretPepper,
      input.tenantId,
      input.clientId,
    );
    if (!result) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });
    return { clientId: input.clientId, secret: result.secret };
  });
