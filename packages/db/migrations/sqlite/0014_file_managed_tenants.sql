-- AlterTable
ALTER TABLE "tenants" ADD COLUMN "detached_at" DATETIME;
ALTER TABLE "tenants" ADD COLUMN "removed_from_file_at" DATETIME;
