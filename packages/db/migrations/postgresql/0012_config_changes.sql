-- CreateTable
CREATE TABLE "config_changes" (
    "id" SERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "tenant_id" TEXT,

    CONSTRAINT "config_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "config_changes_version_idx" ON "config_changes"("version");
