import { revokeSigningKey } from '@sts/console';
import { tenantAnySourceWriteProcedure } from '../../trpc';
import { ZKeyRefSchema } from './key.schema';

/**
 * Revokes a key that no longer signs, now: out of the JWKS and of verification at the STS's next
 * reload. The active key answers CONFLICT (rotate first). Recorded as key.revoke.
 */
export const revokeKeyProcedure = tenantAnySourceWriteProcedure
  .input(ZKeyRefSchema)
  .mutation(({ ctx, input }) =>
    revokeSigningKey(ctx.console, ctx.admin, input.tenantId, input.kid),
  );
