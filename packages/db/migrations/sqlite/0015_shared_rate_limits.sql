-- CreateTable
CREATE TABLE "rate_limit_counts" (
    "limiter" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "window_start" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("limiter", "key", "window_start")
);

-- CreateIndex
CREATE INDEX "rate_limit_counts_window_start_idx" ON "rate_limit_counts"("window_start");
