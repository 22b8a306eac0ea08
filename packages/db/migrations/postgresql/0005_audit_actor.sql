-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "actor_issuer" TEXT,
ADD COLUMN     "actor_sub" TEXT;
