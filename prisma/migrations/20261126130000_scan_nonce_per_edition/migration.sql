-- Nonces become idempotency keys per edition (a nonce seen at another edition is a new scan), and
-- a retry must carry the same request. Existing scans keep their nonces, unique globally so far,
-- hence unique per edition too. They have no digest, so their nonce cannot be replayed any more.
ALTER TABLE "CheckInScan" ADD COLUMN "requestDigest" VARCHAR(64);

DROP INDEX "CheckInScan_nonce_key";

CREATE UNIQUE INDEX "CheckInScan_editionId_nonce_key" ON "CheckInScan"("editionId", "nonce");
