-- Decision 0010 (docs/decisions/0010-token-type-confusion.md, "Upgrading" in docs/configuration.md):
-- existing trusted issuers get the safe defaults, not the old behaviour. An issuer with no
-- audiences no longer accepts every aud: until an admin sets audiences (or opts in to any
-- audience), its tokens are refused with reason subject_token.aud / actor_token.aud, and the STS
-- warns about it at every configuration load. Its access tokens must carry typ at+jwt until JWT
-- (or "absent") is added. Rules are stored as JSON and get the new options' defaults when read.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_trusted_issuers" (
    "tenant_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jwks_uri" TEXT,
    "jwks" TEXT,
    "audiences" TEXT NOT NULL,
    "any_audience" BOOLEAN NOT NULL DEFAULT false,
    "access_token_typ" TEXT NOT NULL DEFAULT '["at+jwt"]',
    "algorithms" TEXT NOT NULL,

    PRIMARY KEY ("tenant_id", "issuer"),
    CONSTRAINT "trusted_issuers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_trusted_issuers" ("algorithms", "audiences", "issuer", "jwks", "jwks_uri", "tenant_id") SELECT "algorithms", "audiences", "issuer", "jwks", "jwks_uri", "tenant_id" FROM "trusted_issuers";
DROP TABLE "trusted_issuers";
ALTER TABLE "new_trusted_issuers" RENAME TO "trusted_issuers";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
