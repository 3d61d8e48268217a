-- Vouchers and reserved allocations (issue 17), the tables only: the placement, the seat counters and the triggers
-- that count uses come in the next migration (docs/vouchers.md). Every new column of an existing table is nullable or
-- has a default, so existing types, tickets and orders read as before (no voucher, no discount, listed).
CREATE TYPE "VoucherEffect" AS ENUM ('PERCENT_OFF', 'AMOUNT_OFF', 'FIXED_PRICE', 'FREE');

ALTER TABLE "TicketType" ADD COLUMN "hidden" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "SeatAllocation" (
  "id" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "name" VARCHAR(100) NOT NULL,
  "seats" INTEGER NOT NULL,
  "ticketTypeId" UUID,
  "releaseAt" TIMESTAMPTZ(3) NOT NULL,
  "releasedAt" TIMESTAMPTZ(3),
  "used" INTEGER NOT NULL DEFAULT 0,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "SeatAllocation_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "SeatAllocation_seats_positive" CHECK ("seats" > 0),
  -- Once released, the block's codes sell general seats: only an unreleased block bounds its uses.
  CONSTRAINT "SeatAllocation_used_within_seats" CHECK ("used" >= 0 AND ("releasedAt" IS NOT NULL OR "used" <= "seats"))
);
CREATE INDEX "SeatAllocation_editionId_idx" ON "SeatAllocation"("editionId");
-- The release job's probe: blocks still holding seats, by date.
CREATE INDEX "SeatAllocation_to_release" ON "SeatAllocation"("releaseAt") WHERE "releasedAt" IS NULL;
ALTER TABLE "SeatAllocation" ADD CONSTRAINT "SeatAllocation_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SeatAllocation" ADD CONSTRAINT "SeatAllocation_ticketTypeId_fkey" FOREIGN KEY ("ticketTypeId")
  REFERENCES "TicketType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "Voucher" (
  "id" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "code" VARCHAR(48) NOT NULL,
  "codeKey" VARCHAR(40) NOT NULL,
  "effect" "VoucherEffect" NOT NULL,
  "percentOff" INTEGER,
  "amountCents" INTEGER,
  "maxUses" INTEGER NOT NULL DEFAULT 1,
  "maxUsesPerOrder" INTEGER,
  "used" INTEGER NOT NULL DEFAULT 0,
  "validFrom" TIMESTAMPTZ(3),
  "validUntil" TIMESTAMPTZ(3),
  "tag" VARCHAR(100),
  "note" TEXT NOT NULL DEFAULT '',
  "active" BOOLEAN NOT NULL DEFAULT true,
  "allocationId" UUID,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "Voucher_pkey" PRIMARY KEY ("id"),
  -- The shape lib/vouchers/codes.ts writes: groups of A-Z and 2-9 joined by single hyphens; the key is the code
  -- without them, so a code typed with or without hyphens finds one voucher.
  CONSTRAINT "Voucher_code_shape" CHECK ("code" ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$' AND "codeKey" = replace("code", '-', '')
                                         AND length("codeKey") BETWEEN 4 AND 40),
  CONSTRAINT "Voucher_effect_value" CHECK (CASE "effect"
    WHEN 'PERCENT_OFF' THEN "percentOff" BETWEEN 1 AND 100 AND "amountCents" IS NULL
    WHEN 'AMOUNT_OFF' THEN "amountCents" > 0 AND "percentOff" IS NULL
    WHEN 'FIXED_PRICE' THEN "amountCents" >= 0 AND "percentOff" IS NULL
    ELSE "amountCents" IS NULL AND "percentOff" IS NULL END),
  -- The placement's conditional increment keeps used <= maxUses; this catches any other writer.
  CONSTRAINT "Voucher_uses" CHECK ("maxUses" >= 1 AND "used" >= 0 AND "used" <= "maxUses"),
  CONSTRAINT "Voucher_uses_per_order" CHECK ("maxUsesPerOrder" IS NULL OR "maxUsesPerOrder" BETWEEN 1 AND "maxUses"),
  CONSTRAINT "Voucher_window" CHECK ("validFrom" IS NULL OR "validUntil" IS NULL OR "validFrom" < "validUntil")
);
CREATE UNIQUE INDEX "Voucher_editionId_codeKey_key" ON "Voucher"("editionId", "codeKey");
CREATE INDEX "Voucher_editionId_tag_idx" ON "Voucher"("editionId", "tag");
CREATE INDEX "Voucher_allocationId_idx" ON "Voucher"("allocationId");
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_allocationId_fkey" FOREIGN KEY ("allocationId")
  REFERENCES "SeatAllocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Restrict, not cascade, on the type: a code limited to a type must never widen to every type by losing its row.
CREATE TABLE "VoucherTicketType" (
  "voucherId" UUID NOT NULL,
  "ticketTypeId" UUID NOT NULL,
  CONSTRAINT "VoucherTicketType_pkey" PRIMARY KEY ("voucherId", "ticketTypeId")
);
CREATE INDEX "VoucherTicketType_ticketTypeId_idx" ON "VoucherTicketType"("ticketTypeId");
ALTER TABLE "VoucherTicketType" ADD CONSTRAINT "VoucherTicketType_voucherId_fkey" FOREIGN KEY ("voucherId")
  REFERENCES "Voucher"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "VoucherTicketType" ADD CONSTRAINT "VoucherTicketType_ticketTypeId_fkey" FOREIGN KEY ("ticketTypeId")
  REFERENCES "TicketType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "Ticket" ADD COLUMN "voucherId" UUID,
  ADD COLUMN "allocationId" UUID,
  ADD COLUMN "discountCents" INTEGER NOT NULL DEFAULT 0,
  ADD CONSTRAINT "Ticket_discount_not_negative" CHECK ("discountCents" >= 0),
  -- A discount comes from a voucher; a block's seat is taken with one of its codes.
  ADD CONSTRAINT "Ticket_discount_has_voucher" CHECK ("voucherId" IS NOT NULL OR ("discountCents" = 0
                                                                                AND "allocationId" IS NULL));
-- Partial: most tickets have neither. They serve the redemption report and the restricting foreign keys.
CREATE INDEX "Ticket_voucherId" ON "Ticket"("voucherId") WHERE "voucherId" IS NOT NULL;
CREATE INDEX "Ticket_allocationId" ON "Ticket"("allocationId") WHERE "allocationId" IS NOT NULL;
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_voucherId_fkey" FOREIGN KEY ("voucherId")
  REFERENCES "Voucher"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_allocationId_fkey" FOREIGN KEY ("allocationId")
  REFERENCES "SeatAllocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
