import { listSigningKeys } from '@sts/db';
import { tenantReadProcedure } from '../../trpc';
import type { TSigningKey } from './key.schema';

/** The tenant's signing keys with their public JWKs; private parts are never read. */
export const listKeysProcedure = tenantReadProcedure.query(
  ({ ctx, input }): Promise<TSigningKey[]> => listSigningKeys(ctx.database.prisma, input.tenantId),
);
