import { setClientAuthMethod } from '@sts/db';
import { TRPCError } from '@trpc/server';
import { tenantWriteProcedure } from '../../trpc';
import { checkFetchableJwksUri } from '../issuer/fetchable-jwks-uri';
import { type TGeneratedSecret, ZSetClientAuthSchema } from './client.schema';

/**
 * Changes the auth method (or the keys of a private_key_jwt client). Moving from private_key_jwt
 * to a secret method returns a generated secret, once; moving to private_key_jwt drops the secret.
 */
export const setClientAuthMethodProcedure = tenantWriteProcedure
  .input(ZSetClientAuthSchema.superRefine(checkFetchableJwksUri))
  .mutation(async ({ ctx, input: { tenantId, clientId, ...auth } }): Promise<TGeneratedSecret> => {
    const result = await setClientAuthMethod(
      ctx.database.prisma,
      ctx.admin,
      ctx.keys.clientSecretPepper,
      tenantId,
      clientId,
      auth,
    );
    if (!result) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such client' });
    return { clientId, secret: result.secret };
  });
