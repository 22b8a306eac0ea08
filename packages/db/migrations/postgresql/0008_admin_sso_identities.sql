-- AlterTable
ALTER TABLE "admin_users" ADD COLUMN     "sso_invited" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "admin_sso_identities" (
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_sso_identities_pkey" PRIMARY KEY ("issuer","subject")
);

-- CreateIndex
CREATE UNIQUE INDEX "admin_sso_identities_user_id_issuer_key" ON "admin_sso_identities"("user_id", "issuer");

-- AddForeignKey
ALTER TABLE "admin_sso_identities" ADD CONSTRAINT "admin_sso_identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "admin_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
