-- CreateEnum
CREATE TYPE "CheckInResult" AS ENUM ('ADMITTED', 'ALREADY_CHECKED_IN', 'CANCELLED', 'WRONG_EDITION', 'FORGED', 'UNKNOWN', 'UNDONE');

-- CreateEnum
CREATE TYPE "ApiTokenScope" AS ENUM ('EXPORT', 'CHECKIN');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scope" "ApiTokenScope" NOT NULL DEFAULT 'EXPORT';

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "checkedInScanId" UUID;

-- CreateTable
CREATE TABLE "CheckInScan" (
    "id" UUID NOT NULL,
    "nonce" VARCHAR(64) NOT NULL,
    "editionId" UUID NOT NULL,
    "ticketId" UUID,
    "result" "CheckInResult" NOT NULL,
    "deviceId" VARCHAR(64) NOT NULL,
    "userId" UUID,
    "apiTokenId" UUID,
    "scannedAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "offline" BOOLEAN NOT NULL DEFAULT false,
    "offlineConflict" BOOLEAN NOT NULL DEFAULT false,
    "answer" JSONB NOT NULL,

    CONSTRAINT "CheckInScan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CheckInScan_nonce_key" ON "CheckInScan"("nonce");

-- CreateIndex
CREATE INDEX "CheckInScan_editionId_receivedAt_idx" ON "CheckInScan"("editionId", "receivedAt");

-- CreateIndex
CREATE INDEX "CheckInScan_ticketId_receivedAt_idx" ON "CheckInScan"("ticketId", "receivedAt");

-- CreateIndex
CREATE INDEX "CheckInScan_editionId_offlineConflict_idx" ON "CheckInScan"("editionId", "offlineConflict");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_checkedInScanId_key" ON "Ticket"("checkedInScanId");

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_checkedInScanId_fkey" FOREIGN KEY ("checkedInScanId") REFERENCES "CheckInScan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInScan" ADD CONSTRAINT "CheckInScan_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInScan" ADD CONSTRAINT "CheckInScan_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A device token scans for one edition only.
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_checkin_has_edition" CHECK (scope <> 'CHECKIN' OR "editionId" IS NOT NULL);
