-- CreateTable
CREATE TABLE "config_changes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL,
    "tenant_id" TEXT
);

-- CreateIndex
CREATE INDEX "config_changes_version_idx" ON "config_changes"("version");
