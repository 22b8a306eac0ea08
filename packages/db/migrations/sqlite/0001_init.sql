-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "display_name" TEXT NOT NULL,
    "access_token_ttl_seconds" INTEGER NOT NULL,
    "signing_alg" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "clients" (
    "tenant_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "display_name" TEXT,
    "auth_method" TEXT NOT NULL,
    "secret_hash" TEXT,
    "jwks" TEXT,
    "jwks_uri" TEXT,
    "allow_token_exchange" BOOLEAN NOT NULL,
    "disabled" BOOLEAN NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,

    PRIMARY KEY ("tenant_id", "client_id"),
    CONSTRAINT "clients_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "trusted_issuers" (
    "tenant_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jwks_uri" TEXT,
    "jwks" TEXT,
    "audiences" TEXT NOT NULL,
    "algorithms" TEXT NOT NULL,

    PRIMARY KEY ("tenant_id", "issuer"),
    CONSTRAINT "trusted_issuers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "rules" (
    "tenant_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "definition" TEXT NOT NULL,

    PRIMARY KEY ("tenant_id", "rule_id"),
    CONSTRAINT "rules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "public_jwk" TEXT NOT NULL,
    "encrypted_private_key" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" DATETIME,
    "retired_at" DATETIME,
    CONSTRAINT "signing_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "client_id" TEXT,
    "subject_issuer" TEXT,
    "subject_sub" TEXT,
    "actor_chain" TEXT NOT NULL,
    "requested_audiences" TEXT NOT NULL,
    "requested_scope" TEXT,
    "granted_audiences" TEXT NOT NULL,
    "granted_scope" TEXT,
    "decision" TEXT NOT NULL,
    "rule_id" TEXT,
    "jti" TEXT,
    "error_code" TEXT,
    "error_detail" TEXT,
    "trace" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "used_jtis" (
    "tenant_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expires_at" DATETIME NOT NULL,

    PRIMARY KEY ("tenant_id", "issuer", "jti")
);

-- CreateTable
CREATE TABLE "config_version" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "signing_keys_tenant_id_status_idx" ON "signing_keys"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_idx" ON "audit_events"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "used_jtis_expires_at_idx" ON "used_jtis"("expires_at");
