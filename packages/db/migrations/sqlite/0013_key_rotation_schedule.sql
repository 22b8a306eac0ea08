-- AlterTable
ALTER TABLE "tenants" ADD COLUMN "key_rotation_days" INTEGER;
