-- AlterTable
ALTER TABLE "remediation_runs" ADD COLUMN "error" TEXT;

-- CreateIndex
-- One run per node at a time: at most one queued or running row per node. Prisma
-- cannot express a partial index without a preview feature, so it lives here only.
CREATE UNIQUE INDEX "remediation_runs_one_active_per_node_key" ON "remediation_runs"("node_id") WHERE "status" IN ('queued', 'running');
