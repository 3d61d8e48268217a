-- Paying by bank transfer (issue 16). An edition may offer it with a deadline; an order paid that way is held until
-- then (holdExpiresAt), has a link of its own for whoever pays it (payToken: the quote and a card payment, never the
-- order's management), and is reminded before the deadline. A transfer received, marked by hand or read from a bank
-- statement, is recorded once per order and once per statement line. guichet_place_order now writes the payment
-- method and the link; otherwise it is unchanged from 20261130120000_order_billing.
CREATE TYPE "PaymentMethod" AS ENUM ('CARD', 'TRANSFER');

ALTER TABLE "Edition" ADD COLUMN "transferDays" INTEGER,
  ADD COLUMN "transferClosesDaysBefore" INTEGER NOT NULL DEFAULT 7,
  ADD CONSTRAINT "Edition_transferDays_range" CHECK ("transferDays" IS NULL OR "transferDays" BETWEEN 1 AND 60),
  ADD CONSTRAINT "Edition_transferClosesDaysBefore_range" CHECK ("transferClosesDaysBefore" BETWEEN 0 AND 60);

ALTER TABLE "Order" ADD COLUMN "paymentMethod" "PaymentMethod" NOT NULL DEFAULT 'CARD',
  ADD COLUMN "payToken" VARCHAR(64),
  ADD COLUMN "transferRemindersSent" INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX "Order_payToken_key" ON "Order"("payToken");
CREATE INDEX "Order_transfer_pending" ON "Order"("holdExpiresAt") WHERE "paymentMethod" = 'TRANSFER';

CREATE TABLE "TransferPayment" (
  "id" UUID NOT NULL,
  "orderId" UUID NOT NULL,
  "amountCents" INTEGER NOT NULL,
  "currency" CHAR(3) NOT NULL,
  "receivedOn" DATE NOT NULL,
  "statementLineId" VARCHAR(200),
  "recordedBy" VARCHAR(254) NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "TransferPayment_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "TransferPayment_amount_positive" CHECK ("amountCents" > 0)
);
CREATE UNIQUE INDEX "TransferPayment_orderId_key" ON "TransferPayment"("orderId");
CREATE UNIQUE INDEX "TransferPayment_statementLineId_key" ON "TransferPayment"("statementLineId");
ALTER TABLE "TransferPayment" ADD CONSTRAINT "TransferPayment_orderId_fkey" FOREIGN KEY ("orderId")
  REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A statement as uploaded, read once: the organiser reviews what it matched, then confirms from this very copy.
CREATE TABLE "StatementImport" (
  "id" UUID NOT NULL,
  "fileName" VARCHAR(255) NOT NULL,
  "format" VARCHAR(16) NOT NULL,
  "lines" JSONB NOT NULL,
  "uploadedBy" VARCHAR(254) NOT NULL,
  "uploadedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "confirmedAt" TIMESTAMPTZ(3),
  CONSTRAINT "StatementImport_pkey" PRIMARY KEY ("id")
);

CREATE OR REPLACE FUNCTION guichet_place_order(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_order uuid := (p->'order'->>'id')::uuid;
  v_edition uuid := (p->'order'->>'editionId')::uuid;
  v_now timestamptz := (p->>'now')::timestamptz;
  v_even_if_closed boolean := coalesce((p->>'evenIfClosed')::boolean, false);
  v_pos integer[];
  v_open boolean;
  v_held bigint;
BEGIN
  -- A public buyer's offer as the caller priced it (checkOffer), re-read here: a stale copy of the edition in an
  -- instance's cache can then only refuse, never sell a type off sale or at another price.
  IF coalesce((p->>'checkOffer')::boolean, false) AND EXISTS (
    SELECT 1 FROM jsonb_to_recordset(p->'tickets') AS x("ticketTypeId" uuid, "priceCents" integer)
      LEFT JOIN "TicketType" tt ON tt.id = x."ticketTypeId" AND tt."editionId" = v_edition
     WHERE tt.id IS NULL OR x."priceCents" <> tt."priceCents" OR NOT tt.active
        OR (tt."salesStartAt" IS NOT NULL AND v_now < tt."salesStartAt")
        OR (tt."salesEndAt" IS NOT NULL AND v_now >= tt."salesEndAt")
  ) THEN
    RAISE EXCEPTION USING ERRCODE = 'GS005', MESSAGE = 'offer_changed';
  END IF;

  INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerFirstName", "buyerLastName", "buyerEmail",
                       "buyerCompany", locale, status, "statusReason", "amountCents", currency, "holdExpiresAt",
                       "heldByClient", "idempotencyKey", "queueOrdinal", "confirmedAt", "paymentMethod",
                       "payToken", "updatedAt")
  SELECT o.id, o.reference, o."accessToken", o."editionId", o."buyerFirstName", o."buyerLastName", o."buyerEmail",
         o."buyerCompany", o.locale, o.status, o."statusReason", o."amountCents", o.currency, o."holdExpiresAt",
         o."heldByClient", o."idempotencyKey", o."queueOrdinal", o."confirmedAt",
         coalesce(o."paymentMethod", 'CARD'), o."payToken", clock_timestamp()
    FROM jsonb_populate_record(NULL::"Order", p->'order') o;
  INSERT INTO "OrderBilling" ("orderId", organisation, address, "addressMore", postcode, city, country, siren, siret,
                              "vatNumber", "purchaseOrder", "accountsEmail", "serviceCode", "engagementNumber")
  SELECT v_order, b.organisation, b.address, b."addressMore", b.postcode, b.city, b.country, b.siren, b.siret,
         b."vatNumber", b."purchaseOrder", b."accountsEmail", b."serviceCode", b."engagementNumber"
    FROM jsonb_populate_record(NULL::"OrderBilling", p->'billing') b
   WHERE jsonb_typeof(p->'billing') = 'object';
  INSERT INTO "OrderTransition" (id, "orderId", "toStatus", reason, "createdAt")
  SELECT x.id, v_order, x."toStatus", x.reason, x."createdAt"
    FROM jsonb_populate_record(NULL::"OrderTransition", p->'transition') x;
  INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, payload)
  SELECT e.id, e."dedupeKey", e.kind, v_order, e."toAddress", e.locale, e.payload
    FROM jsonb_populate_recordset(NULL::"EmailOutbox", coalesce(p->'emails', '[]')) e;
  PERFORM guichet_queue_email_job(e.id) FROM jsonb_populate_recordset(NULL::"EmailOutbox", coalesce(p->'emails', '[]')) e;

  -- The claim: the seat triggers take the edition's counter row, which stays locked until the commit.
  INSERT INTO "Ticket" (id, "orderId", position, "editionId", "ticketTypeId", "firstName", "lastName", email, company,
                        "accessToken", answers, "priceCents", "updatedAt")
  SELECT t.id, v_order, t.position, v_edition, t."ticketTypeId", t."firstName", t."lastName", t.email, t.company,
         t."accessToken", coalesce(t.answers, '{}'), t."priceCents", clock_timestamp()
    FROM jsonb_populate_recordset(NULL::"Ticket", p->'tickets') t;

  SELECT open INTO v_open FROM "EditionSeats" WHERE "editionId" = v_edition;
  IF NOT coalesce(v_open, false) AND NOT v_even_if_closed THEN
    RAISE EXCEPTION USING ERRCODE = 'GS004', MESSAGE = 'edition_closed';
  END IF;

  -- One live seat per attendee email (the rule of lib/capacity/seats.ts, liveSeat), on the database's clock.
  SELECT array_agg(a.position ORDER BY a.position) INTO v_pos FROM "Ticket" a
   WHERE a."orderId" = v_order AND a.status = 'ACTIVE' AND a.email IS NOT NULL AND EXISTS (
     SELECT 1 FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
      WHERE t."editionId" = v_edition AND t.email = a.email AND t."orderId" <> v_order
        AND t.status = 'ACTIVE' AND o."editionId" = t."editionId"
        AND (o.status = 'CONFIRMED' OR (o.status = 'PENDING' AND o."holdExpiresAt" > clock_timestamp())));
  IF v_pos IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'GS002', MESSAGE = 'already_registered:' || to_jsonb(v_pos)::text;
  END IF;

  -- A client's unpaid seats across its running holds, this order's included, counted under the lock.
  IF p->'unpaid' IS NOT NULL AND jsonb_typeof(p->'unpaid') = 'object' THEN
    SELECT count(*) INTO v_held FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
     WHERE o."editionId" = v_edition AND o."heldByClient" = p->'unpaid'->>'clientKey' AND o.status = 'PENDING'
       AND o."holdExpiresAt" > clock_timestamp() AND t.status = 'ACTIVE';
    IF v_held > (p->'unpaid'->>'max')::integer THEN
      RAISE EXCEPTION USING ERRCODE = 'GS003', MESSAGE = 'too_many_unpaid_holds';
    END IF;
  END IF;
  RETURN jsonb_build_object('placed', true);
END $$;

