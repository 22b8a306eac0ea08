import { describeJwksError, fetchJwks, isPublicKey } from '@sts/core/remote-jwks';
import { tenantWriteProcedure } from '../../trpc';
import { jwksFetchOptions } from './fetchable-jwks-uri';
import { type TFetchKeysResult, ZFetchKeysSchema } from './issuer.schema';

/**
 * Fetches a JWKS from the console's server as the STS would (https only, 5 s, 256 KiB, 100 keys,
 * no redirects) and shows what it holds. Tenant writers only: it makes the server send a request.
 * Only the keys' public header fields come back, or a short reason.
 */
export const fetchIssuerKeysProcedure = tenantWriteProcedure
  .input(ZFetchKeysSchema)
  .mutation(async ({ input }): Promise<TFetchKeysResult> => {
    try {
      const { keys } = await fetchJwks(input.jwksUri, jwksFetchOptions());
      return {
        ok: true,
        keys: keys.map((k) => ({
          kid: text(k.kid),
          kty: text(k.kty),
          alg: text(k.alg),
          use: text(k.use),
          usable: isPublicKey(k),
        })),
      };
    } catch (err) {
      return { ok: false, error: describeJwksError(err) };
    }
  });

const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : null);
