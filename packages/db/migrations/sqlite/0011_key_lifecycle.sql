-- AlterTable
ALTER TABLE "signing_keys" ADD COLUMN "activates_at" DATETIME;
ALTER TABLE "signing_keys" ADD COLUMN "retire_after" DATETIME;
ALTER TABLE "signing_keys" ADD COLUMN "stopped_signing_at" DATETIME;
