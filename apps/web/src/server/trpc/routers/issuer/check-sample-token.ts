import { checkSampleToken } from '@sts/console';
import { tenantAnySourceWriteProcedure } from '../../trpc';
import { type TSampleTokenResult, ZCheckSampleTokenSchema } from './issuer.schema';

/**
 * "Check a sample token" in the issuer dialog: what a token of the issuer carries and whether the
 * settings being edited would accept it (read by core, never verified nor stored). Tenant writers
 * only: with a JWKS URI it makes the server fetch the keys.
 */
export const checkSampleTokenProcedure = tenantAnySourceWriteProcedure
  .input(ZCheckSampleTokenSchema)
  .mutation(
    ({ ctx, input: { tenantId: _tenantId, token, ...issuer } }): Promise<TSampleTokenResult> =>
      checkSampleToken(ctx.console, issuer, token),
  );
