-- Group orders, first step: an order names its buyer apart from its tickets, tickets have a place in
-- their order, and organisers can limit how many tickets one order holds. Every existing order has
-- one ticket, whose holder bought it: the buyer is that holder, the ticket is the first.

ALTER TABLE "Edition" ADD COLUMN "maxTicketsPerOrder" INTEGER NOT NULL DEFAULT 10,
  ADD CONSTRAINT "Edition_maxTicketsPerOrder_range" CHECK ("maxTicketsPerOrder" BETWEEN 1 AND 100);

ALTER TABLE "TicketType" ADD COLUMN "maxPerOrder" INTEGER,
  ADD CONSTRAINT "TicketType_maxPerOrder_positive" CHECK ("maxPerOrder" IS NULL OR "maxPerOrder" >= 1);

ALTER TABLE "Order" ADD COLUMN "buyerFirstName" VARCHAR(100), ADD COLUMN "buyerLastName" VARCHAR(100),
  ADD COLUMN "buyerCompany" VARCHAR(200);

-- The earliest ticket of each order is its holder (there is exactly one today).
UPDATE "Order" o SET "buyerFirstName" = t."firstName", "buyerLastName" = t."lastName", "buyerCompany" = t.company
FROM (SELECT DISTINCT ON ("orderId") "orderId", "firstName", "lastName", company FROM "Ticket"
      ORDER BY "orderId", "createdAt", id) t
WHERE t."orderId" = o.id;

-- An order without a ticket cannot be made by the application: should one exist, it keeps an empty name
-- rather than stopping the migration.
UPDATE "Order" SET "buyerFirstName" = '', "buyerLastName" = '' WHERE "buyerFirstName" IS NULL;
ALTER TABLE "Order" ALTER COLUMN "buyerFirstName" SET NOT NULL, ALTER COLUMN "buyerLastName" SET NOT NULL;

ALTER TABLE "Ticket" ADD COLUMN "position" INTEGER;
UPDATE "Ticket" t SET "position" = n.position
FROM (SELECT id, row_number() OVER (PARTITION BY "orderId" ORDER BY "createdAt", id)::int AS position FROM "Ticket") n
WHERE n.id = t.id;
ALTER TABLE "Ticket" ALTER COLUMN "position" SET NOT NULL, ALTER COLUMN "position" SET DEFAULT 1,
  ADD CONSTRAINT "Ticket_position_positive" CHECK ("position" >= 1);

DROP INDEX "Ticket_orderId_idx";
CREATE UNIQUE INDEX "Ticket_orderId_position_key" ON "Ticket"("orderId", "position");
