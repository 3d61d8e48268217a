-- Emails that failed for good, or that a later change made obsolete, get their own states.
ALTER TYPE "EmailStatus" ADD VALUE 'FAILED';
ALTER TYPE "EmailStatus" ADD VALUE 'SUPERSEDED';

-- When an email was last queued by the app or an organiser (existing rows: when they were created).
ALTER TABLE "EmailOutbox" ADD COLUMN "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "EmailOutbox" SET "queuedAt" = "createdAt";
