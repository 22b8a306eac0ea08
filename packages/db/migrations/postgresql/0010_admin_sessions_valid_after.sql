-- AlterTable
ALTER TABLE "admin_users" ADD COLUMN     "sessions_valid_after" TIMESTAMP(3);
