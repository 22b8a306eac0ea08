-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "access_token_ttl_seconds" INTEGER NOT NULL,
    "signing_alg" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
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
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "clients_pkey" PRIMARY KEY ("tenant_id","client_id")
);

-- CreateTable
CREATE TABLE "trusted_issuers" (
    "tenant_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jwks_uri" TEXT,
    "jwks" TEXT,
    "audiences" TEXT NOT NULL,
    "algorithms" TEXT NOT NULL,

    CONSTRAINT "trusted_issuers_pkey" PRIMARY KEY ("tenant_id","issuer")
);

-- CreateTable
CREATE TABLE "rules" (
    "tenant_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "definition" TEXT NOT NULL,

    CONSTRAINT "rules_pkey" PRIMARY KEY ("tenant_id","rule_id")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "public_jwk" TEXT NOT NULL,
    "encrypted_private_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMP(3),
    "retired_at" TIMESTAMP(3),

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL,
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
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "used_jtis" (
    "tenant_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "used_jtis_pkey" PRIMARY KEY ("tenant_id","issuer","jti")
);

-- CreateTable
CREATE TABLE "config_version" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "config_version_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "signing_keys_tenant_id_status_idx" ON "signing_keys"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_idx" ON "audit_events"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "used_jtis_expires_at_idx" ON "used_jtis"("expires_at");

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trusted_issuers" ADD CONSTRAINT "trusted_issuers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rules" ADD CONSTRAINT "rules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
