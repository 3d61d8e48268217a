-- AlterTable
ALTER TABLE "Edition" ADD COLUMN     "editDeadline" TIMESTAMPTZ(3),
ADD COLUMN     "refundDeadline" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "EmailOutbox" ADD COLUMN     "payload" JSONB NOT NULL DEFAULT '{}';

