-- AlterTable
ALTER TABLE "signing_keys" ADD COLUMN     "activates_at" TIMESTAMP(3),
ADD COLUMN     "retire_after" TIMESTAMP(3),
ADD COLUMN     "stopped_signing_at" TIMESTAMP(3);
