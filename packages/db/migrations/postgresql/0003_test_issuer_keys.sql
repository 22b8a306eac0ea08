-- CreateTable
CREATE TABLE "test_issuer_keys" (
    "tenant_id" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "public_jwk" TEXT NOT NULL,
    "encrypted_private_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "test_issuer_keys_pkey" PRIMARY KEY ("tenant_id")
);

-- AddForeignKey
ALTER TABLE "test_issuer_keys" ADD CONSTRAINT "test_issuer_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
