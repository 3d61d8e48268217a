-- Rules the code relies on that Prisma's schema language cannot state: enforced by Postgres so a
-- bug, a script or a hand-written query cannot store an impossible edition, price or order.
-- Bring rows written before these rules in line first.
UPDATE "Order" SET "confirmedAt" = "createdAt" WHERE status = 'CONFIRMED' AND "confirmedAt" IS NULL;
UPDATE "Order" SET status = 'EXPIRED' WHERE status = 'PENDING' AND "holdExpiresAt" IS NULL;

ALTER TABLE "Edition"
  ADD CONSTRAINT "Edition_capacity_non_negative" CHECK (capacity >= 0),
  ADD CONSTRAINT "Edition_ends_after_start" CHECK ("endsAt" > "startsAt"),
  ADD CONSTRAINT "Edition_currency_code" CHECK (currency ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT "Edition_slug_format" CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$');

ALTER TABLE "TicketType"
  ADD CONSTRAINT "TicketType_price_non_negative" CHECK ("priceCents" >= 0),
  ADD CONSTRAINT "TicketType_quota_non_negative" CHECK (quota IS NULL OR quota >= 0),
  ADD CONSTRAINT "TicketType_sales_window_order" CHECK ("salesStartAt" IS NULL OR "salesEndAt" IS NULL OR "salesEndAt" > "salesStartAt");

ALTER TABLE "Question"
  ADD CONSTRAINT "Question_options_array" CHECK (jsonb_typeof(options) = 'array');

ALTER TABLE "Order"
  ADD CONSTRAINT "Order_amount_non_negative" CHECK ("amountCents" >= 0),
  -- A pending order without an expiry would hold its seat for ever.
  ADD CONSTRAINT "Order_pending_has_hold" CHECK (status <> 'PENDING' OR "holdExpiresAt" IS NOT NULL),
  ADD CONSTRAINT "Order_confirmed_has_time" CHECK (status <> 'CONFIRMED' OR "confirmedAt" IS NOT NULL);

ALTER TABLE "Ticket"
  ADD CONSTRAINT "Ticket_price_non_negative" CHECK ("priceCents" >= 0),
  ADD CONSTRAINT "Ticket_answers_object" CHECK (jsonb_typeof(answers) = 'object');
