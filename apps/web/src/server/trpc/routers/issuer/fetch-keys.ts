import { type FetchedKeys, fetchIssuerKeys } from '@sts/console';
import { tenantAnySourceWriteProcedure } from '../../trpc';
import { ZFetchKeysSchema } from './issuer.schema';

/**
 * Fetches a JWKS from the console's server as the STS would and shows what it holds. Tenant
 * writers only: it makes the server send a request.
 */
export const fetchIssuerKeysProcedure = tenantAnySourceWriteProcedure
  .input(ZFetchKeysSchema)
  .mutation(({ ctx, input }): Promise<FetchedKeys> => fetchIssuerKeys(ctx.console, input.jwksUri));
