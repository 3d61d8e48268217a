-- Attendees' data rights (issue 20, docs/operations.md "Attendees' data rights").

ALTER TABLE "Edition"
  ADD COLUMN "retentionMonths" INTEGER NOT NULL DEFAULT 12,
  ADD COLUMN "anonymisedAt" TIMESTAMPTZ(3),
  ADD CONSTRAINT "Edition_retentionMonths_range" CHECK ("retentionMonths" BETWEEN 1 AND 120);

ALTER TABLE "Ticket" ADD COLUMN "erasedAt" TIMESTAMPTZ(3);
ALTER TABLE "Order" ADD COLUMN "erasedAt" TIMESTAMPTZ(3);
ALTER TABLE "AuditEntry" ADD COLUMN "erasedAt" TIMESTAMPTZ(3);
ALTER TABLE "WaitingListEntry" ADD COLUMN "erasedAt" TIMESTAMPTZ(3);

-- An erasure takes the address's live entries off the list, saying why.
ALTER TABLE "WaitingListEntry" DROP CONSTRAINT "WaitingListEntry_removedBy",
  ADD CONSTRAINT "WaitingListEntry_removedBy"
    CHECK ("removedBy" IS NULL OR "removedBy" IN ('self', 'organiser', 'erased'));

CREATE TYPE "PrivacyRequestKind" AS ENUM ('ACCESS', 'ERASURE');
CREATE TYPE "PrivacyRequestStatus" AS ENUM ('OPEN', 'DONE', 'REFUSED');

CREATE TABLE "PrivacyRequest" (
  "id" UUID NOT NULL,
  "kind" "PrivacyRequestKind" NOT NULL,
  "email" VARCHAR(254),
  "emailHash" CHAR(64) NOT NULL,
  "via" VARCHAR(16) NOT NULL,
  "status" "PrivacyRequestStatus" NOT NULL DEFAULT 'OPEN',
  "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "completedAt" TIMESTAMPTZ(3),
  "completedById" UUID,
  "note" VARCHAR(1000),
  CONSTRAINT "PrivacyRequest_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "PrivacyRequest_via" CHECK ("via" IN ('attendee', 'organiser')),
  -- Only an open request needs the address (to be worked on); a closed one keeps its hash.
  CONSTRAINT "PrivacyRequest_address_while_open" CHECK (("status" = 'OPEN') = ("email" IS NOT NULL)),
  CONSTRAINT "PrivacyRequest_closed_when" CHECK (("status" = 'OPEN') = ("completedAt" IS NULL))
);

CREATE INDEX "PrivacyRequest_status_requestedAt_idx" ON "PrivacyRequest"("status", "requestedAt");
CREATE INDEX "PrivacyRequest_emailHash_idx" ON "PrivacyRequest"("emailHash");
-- Asking twice while a request is open is the same request.
CREATE UNIQUE INDEX "PrivacyRequest_open_once" ON "PrivacyRequest"("emailHash", "kind") WHERE "status" = 'OPEN';

ALTER TABLE "PrivacyRequest" ADD CONSTRAINT "PrivacyRequest_completedById_fkey" FOREIGN KEY ("completedById")
  REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
