import type { JsonWebKey } from 'node:crypto';
import { NotFoundError } from '../errors';
import type { Handles } from '../internal/handles';
import { isForeignKeyViolation } from '../internal/sql';
import { parseStoredJson } from '../internal/stored';

/**
 * The console simulator's test issuer key of a tenant: one ES256 key pair that signs the tokens
 * an admin composes. Its private JWK is stored sealed, like signing keys'.
 */
export interface TestIssuerKey {
  kid: string;
  publicJwk: JsonWebKey;
  sealedPrivateKey: string;
}

export interface TestIssuerKeyRepository {
  find(tenantId: string): Promise<TestIssuerKey | null>;
  /**
   * The tenant's key, made with `make` and stored on first use (a concurrent first use gets the
   * key stored first). NotFoundError for an unknown tenant.
   */
  getOrCreate(tenantId: string, make: () => TestIssuerKey): Promise<TestIssuerKey>;
}

export function testIssuerKeyRepository({ prisma, sql, clock }: Handles): TestIssuerKeyRepository {
  const find = async (tenantId: string) => {
    const row = await prisma.testIssuerKey.findUnique({ where: { tenantId } });
    return row
      ? {
          kid: row.kid,
          publicJwk: parseStoredJson(
            row.publicJwk,
            `tenant ${tenantId}, test issuer key ${row.kid}`,
          ) as JsonWebKey,
          sealedPrivateKey: row.encryptedPrivateKey,
        }
      : null;
  };
  return {
    find,
    async getOrCreate(tenantId, make) {
      const existing = await find(tenantId);
      if (existing) return existing;
      const key = make();
      try {
        // A concurrent first use may have stored one meanwhile: then that one stays.
        await sql.run(
          `INSERT INTO "test_issuer_keys" ("tenant_id", "kid", "public_jwk", "encrypted_private_key", "created_at")
           VALUES (?, ?, ?, ?, ?) ON CONFLICT ("tenant_id") DO NOTHING`,
          [
            tenantId,
            key.kid,
            JSON.stringify(key.publicJwk),
            key.sealedPrivateKey,
            new Date(clock()),
          ],
        );
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new NotFoundError('tenant', tenantId);
        throw err;
      }
      return (await find(tenantId)) ?? key;
    },
  };
}
