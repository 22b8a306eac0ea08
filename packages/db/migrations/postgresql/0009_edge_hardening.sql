-- AlterTable
ALTER TABLE "clients" ADD COLUMN     "allow_introspection" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "endpoint" TEXT NOT NULL DEFAULT 'token',
ADD COLUMN     "truncated_chars" INTEGER;

-- CreateIndex
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");
