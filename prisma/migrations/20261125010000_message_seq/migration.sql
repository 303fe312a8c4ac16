-- AlterTable: a monotonic sequence orders each line's queue, so messages to one
-- contact are dispatched in the order they were accepted (createdAt can tie).
ALTER TABLE "messages" ADD COLUMN "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "messages_seq_key" ON "messages"("seq");
