-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('PENDING', 'SENT');

-- AlterTable
ALTER TABLE "Edition" ADD COLUMN     "vatRateBasisPoints" INTEGER NOT NULL DEFAULT 2000;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "codeVersion" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "EmailOutbox" (
    "id" UUID NOT NULL,
    "dedupeKey" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(64) NOT NULL,
    "orderId" UUID,
    "toAddress" VARCHAR(254) NOT NULL,
    "locale" "Locale" NOT NULL,
    "status" "EmailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "EmailOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmailOutbox_dedupeKey_key" ON "EmailOutbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "EmailOutbox_status_createdAt_idx" ON "EmailOutbox"("status", "createdAt");

-- CreateIndex
CREATE INDEX "EmailOutbox_orderId_idx" ON "EmailOutbox"("orderId");

-- AddForeignKey
ALTER TABLE "EmailOutbox" ADD CONSTRAINT "EmailOutbox_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written rules.
ALTER TABLE "Edition" ADD CONSTRAINT "Edition_vat_rate_range" CHECK ("vatRateBasisPoints" BETWEEN 0 AND 10000);
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_code_version_positive" CHECK ("codeVersion" >= 1);
