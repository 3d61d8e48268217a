-- Refunds per ticket: a cancelled paid ticket of a group gets a refund of its own price, and a later
-- refund of the whole order covers only the rest. Every existing refund stays an order-level one
-- (ticketId null), which is what it was: one refund of a one-ticket order.

DROP INDEX "Refund_orderId_key";
CREATE INDEX "Refund_orderId_idx" ON "Refund"("orderId");

ALTER TABLE "Refund" ADD COLUMN "ticketId" UUID;
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id")
  ON DELETE RESTRICT ON UPDATE CASCADE;
-- One refund per ticket: a double click or two requests at once cannot refund a ticket twice.
CREATE UNIQUE INDEX "Refund_ticketId_key" ON "Refund"("ticketId");
-- At most one refund of "the rest" per order.
CREATE UNIQUE INDEX "Refund_one_order_level" ON "Refund"("orderId") WHERE "ticketId" IS NULL;

-- Backstop: an order's refunds never add up to more than it was paid, and a ticket's refund belongs to
-- its order. The application decides refunds under the order's row lock (lockOrder); the trigger takes
-- that same lock first, so it holds even for a writer that forgot it: a second insert waits for the
-- first to commit, then its sum (a new snapshot per statement under READ COMMITTED) sees it.
CREATE FUNCTION refund_within_payment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  paid integer;
  refunded integer;
BEGIN
  SELECT "amountCents" INTO paid FROM "Order" WHERE id = NEW."orderId" FOR UPDATE;
  IF NEW."ticketId" IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM "Ticket" WHERE id = NEW."ticketId" AND "orderId" = NEW."orderId") THEN
    RAISE EXCEPTION 'refund % is for a ticket of another order', NEW.id USING ERRCODE = '23514';
  END IF;
  SELECT coalesce(sum("amountCents"), 0) INTO refunded FROM "Refund" WHERE "orderId" = NEW."orderId" AND id <> NEW.id;
  IF refunded + NEW."amountCents" > paid THEN
    RAISE EXCEPTION 'refunds of order % would exceed its payment (% + % > %)', NEW."orderId", refunded,
      NEW."amountCents", paid USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Refund_within_payment" BEFORE INSERT OR UPDATE OF "amountCents", "orderId", "ticketId" ON "Refund"
  FOR EACH ROW EXECUTE FUNCTION refund_within_payment();
