import { createClient } from '@sts/db';
import { tenantWriteProcedure } from '../../trpc';
import { checkFetchableJwksUri } from '../issuer/fetchable-jwks-uri';
import { type TGeneratedSecret, ZCreateClientSchema } from './client.schema';

/** For the client_secret_* methods the response holds the generated secret: the only time it is shown. */
export const createClientProcedure = tenantWriteProcedure
  .input(ZCreateClientSchema.superRefine(checkFetchableJwksUri))
  .mutation(async ({ ctx, input: { tenantId, ...client } }): Promise<TGeneratedSecret> => {
    const { secret } = await createClient(
      ctx.database.prisma,
      ctx.admin,
      ctx.keys.clientSecretPepper,
      tenantId,
      client,
    );
    return { clientId: client.clientId, secret };
  });
