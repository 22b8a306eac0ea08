-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "detached_at" TIMESTAMP(3),
ADD COLUMN     "removed_from_file_at" TIMESTAMP(3);
