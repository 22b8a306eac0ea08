import { rotateSigningKey } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantWriteProcedure } from '../../trpc';
import type { TRotatedKey } from './key.schema';

/** A new active key at once; the previous one keeps verifying the tokens it signed. */
export const rotateKeyProcedure = tenantWriteProcedure.mutation(
  async ({ ctx, input }): Promise<TRotatedKey> => {
    const rotated = await rotateSigningKey(
      ctx.database,
      ctx.admin,
      ctx.keys.keyEncryptionKey,
      input.tenantId,
    );
    if (!rotated) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant' });
    return rotated;
  },
);
