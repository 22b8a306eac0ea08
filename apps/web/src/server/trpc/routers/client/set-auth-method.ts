import { type GeneratedSecret, setClientAuthMethod } from '@sts/console';
import { tenantWriteProcedure } from '../../trpc';
import { ZSetClientAuthSchema } from './client.schema';

/**
 * Changes the auth method (or the keys of a private_key_jwt client). Moving from private_key_jwt
 * to a secret method returns a generated secret, once; moving to private_key_jwt drops the secret.
 */
export const setClientAuthMethodProcedure = tenantWriteProcedure
  .input(ZSetClientAuthSchema)
  .mutation(
    ({ ctx, input: { tenantId, clientId, ...auth } }): Promise<GeneratedSecret> =>
      setClientAuthMethod(ctx.console, ctx.admin, tenantId, clientId, auth),
  );
