-- Issue 20 (docs/operations.md, "Logs"): the placement's emails carry the request id of the registration that queued
-- them, as enqueueEmail's do, so the worker's lines about them join the request's. The placement of
-- 20261207100000_offer_hidden_type, unchanged but for "requestId" in its EmailOutbox insert (p->'emails' holds it).
CREATE OR REPLACE FUNCTION guichet_place_order(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_order uuid := (p->'order'->>'id')::uuid;
  v_edition uuid := (p->'order'->>'editionId')::uuid;
  v_now timestamptz := (p->>'now')::timestamptz;
  v_even_if_closed boolean := coalesce((p->>'evenIfClosed')::boolean, false);
  v_pos integer[];
  v_open boolean;
  v_held bigint;
  v_blocks jsonb := '{}';
  v_all_fit boolean;
  v_offer "WaitingListOffer";
  v_offer_id uuid := (p->'offer'->>'id')::uuid;
  v_wrong_type boolean;
  v_count integer;
  -- The offer's type, read before the checks (an offer's type never changes; the offer is locked further down).
  v_offer_type uuid := (SELECT "ticketTypeId" FROM "WaitingListOffer" WHERE id = (p->'offer'->>'id')::uuid);
BEGIN
  -- A public buyer's offer as the caller priced it (checkOffer), re-read here: a stale copy of the edition in an
  -- instance's cache can then only refuse, never sell a type off sale or at another price. A code is re-checked
  -- first (GS007): it exists in this edition, is active, in its window and applies to the type (none listed: every
  -- type that is not hidden). A hidden type is sold only with a code naming it, or with an offer of it.
  IF coalesce((p->>'checkOffer')::boolean, false) THEN
    IF EXISTS (
      SELECT 1 FROM jsonb_to_recordset(p->'tickets') AS x("ticketTypeId" uuid, "voucherId" uuid)
        LEFT JOIN "Voucher" v ON v.id = x."voucherId" AND v."editionId" = v_edition
        LEFT JOIN "TicketType" tt ON tt.id = x."ticketTypeId"
       WHERE x."voucherId" IS NOT NULL AND (
             v.id IS NULL OR NOT v.active OR (v."validFrom" IS NOT NULL AND v_now < v."validFrom")
          OR (v."validUntil" IS NOT NULL AND v_now >= v."validUntil")
          OR CASE WHEN EXISTS (SELECT 1 FROM "VoucherTicketType" vt WHERE vt."voucherId" = v.id)
                  THEN NOT EXISTS (SELECT 1 FROM "VoucherTicketType" vt
                                    WHERE vt."voucherId" = v.id AND vt."ticketTypeId" = x."ticketTypeId")
                  ELSE coalesce(tt.hidden, false) END)
    ) THEN
      RAISE EXCEPTION USING ERRCODE = 'GS007', MESSAGE = 'voucher_invalid';
    END IF;
    -- The price is the one lib/vouchers/pricing.ts gives (priceWithVoucher), minimum charge included.
    IF EXISTS (
      SELECT 1 FROM jsonb_to_recordset(p->'tickets') AS x("ticketTypeId" uuid, "priceCents" integer,
                                                         "voucherId" uuid, "discountCents" integer)
        LEFT JOIN "TicketType" tt ON tt.id = x."ticketTypeId" AND tt."editionId" = v_edition
        LEFT JOIN "Voucher" v ON v.id = x."voucherId"
       WHERE tt.id IS NULL OR NOT tt.active
          OR (tt."salesStartAt" IS NOT NULL AND v_now < tt."salesStartAt")
          OR (tt."salesEndAt" IS NOT NULL AND v_now >= tt."salesEndAt")
          OR (x."voucherId" IS NULL AND ((tt.hidden AND tt.id IS DISTINCT FROM v_offer_type)
                                         OR x."priceCents" <> tt."priceCents"
                                         OR coalesce(x."discountCents", 0) <> 0))
          OR (x."voucherId" IS NOT NULL AND (x."priceCents" + coalesce(x."discountCents", 0) <> tt."priceCents"
                                             OR x."priceCents" <> guichet_voucher_price(tt."priceCents", v,
                                                                  (p->>'minimumChargeCents')::integer)))
    ) THEN
      RAISE EXCEPTION USING ERRCODE = 'GS005', MESSAGE = 'offer_changed';
    END IF;
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
  INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, payload, "requestId")
  SELECT e.id, e."dedupeKey", e.kind, v_order, e."toAddress", e.locale, e.payload, e."requestId"
    FROM jsonb_populate_recordset(NULL::"EmailOutbox", coalesce(p->'emails', '[]')) e;
  PERFORM guichet_queue_email_job(e.id) FROM jsonb_populate_recordset(NULL::"EmailOutbox", coalesce(p->'emails', '[]')) e;

  -- An offer from the waiting list (docs/waiting-list.md): under the edition's row, then the offer's, it must be
  -- OFFERED and running, with no other order of it running, every ticket of its type and no more than its seats
  -- left (GS008 offer_unavailable, DETAIL why). Every ticket then takes the offer's block: net zero, so it places
  -- while general sale is sold out. A code's own block is not used: the seats are the offer's.
  IF v_offer_id IS NOT NULL THEN
    PERFORM 1 FROM "EditionSeats" WHERE "editionId" = v_edition FOR NO KEY UPDATE;
    SELECT * INTO v_offer FROM "WaitingListOffer" WHERE id = v_offer_id AND "editionId" = v_edition FOR UPDATE;
    -- Its previous order's hold lapsed unreleased: its seats go back to the block before they are counted.
    IF EXISTS (SELECT 1 FROM "Order" o WHERE o.id = v_offer."orderId" AND o.status = 'PENDING'
                                        AND o."holdExpiresAt" <= clock_timestamp()) THEN
      PERFORM guichet_release_lapsed_holds(v_edition, 1000, NULL, ARRAY[v_order]);
    END IF;
    SELECT count(*), bool_or(x."ticketTypeId" IS DISTINCT FROM v_offer."ticketTypeId") INTO v_count, v_wrong_type
      FROM jsonb_to_recordset(p->'tickets') AS x("ticketTypeId" uuid);
    IF v_offer.id IS NULL OR v_offer.status <> 'OFFERED' THEN
      RAISE EXCEPTION USING ERRCODE = 'GS008', MESSAGE = 'offer_unavailable', DETAIL = 'closed';
    ELSIF v_offer."expiresAt" <= coalesce(v_now, guichet_now()) THEN
      RAISE EXCEPTION USING ERRCODE = 'GS008', MESSAGE = 'offer_unavailable', DETAIL = 'expired';
    ELSIF EXISTS (SELECT 1 FROM "Order" o WHERE o.id = v_offer."orderId" AND o.status = 'PENDING'
                                            AND o."holdExpiresAt" > clock_timestamp()) THEN
      RAISE EXCEPTION USING ERRCODE = 'GS008', MESSAGE = 'offer_unavailable', DETAIL = 'order_running';
    ELSIF v_wrong_type THEN
      RAISE EXCEPTION USING ERRCODE = 'GS008', MESSAGE = 'offer_unavailable', DETAIL = 'wrong_type';
    ELSIF v_count > (SELECT a.seats - a.used FROM "SeatAllocation" a WHERE a.id = v_offer."allocationId") THEN
      RAISE EXCEPTION USING ERRCODE = 'GS008', MESSAGE = 'offer_unavailable', DETAIL = 'too_many';
    END IF;
    SELECT jsonb_object_agg(x.id, v_offer."allocationId") INTO v_blocks
      FROM jsonb_to_recordset(p->'tickets') AS x(id uuid);
    UPDATE "WaitingListOffer" SET "orderId" = v_order, "updatedAt" = clock_timestamp() WHERE id = v_offer.id;
  -- A block's seats: a ticket priced with a code of an unreleased block (of the ticket's type, if the block has one)
  -- takes one of the block's seats while it has some left, in position order; the others take general seats. Decided
  -- under the edition's counter row, which the release job and the seat triggers take first too.
  ELSIF EXISTS (SELECT 1 FROM jsonb_to_recordset(p->'tickets') AS x("voucherId" uuid)
                  JOIN "Voucher" v ON v.id = x."voucherId" WHERE v."allocationId" IS NOT NULL) THEN
    PERFORM 1 FROM "EditionSeats" WHERE "editionId" = v_edition FOR NO KEY UPDATE;
    FOR attempt IN 1 .. 2 LOOP
      SELECT coalesce(jsonb_object_agg(c.id, c.block) FILTER (WHERE c.rn <= c.room), '{}'),
             count(*) FILTER (WHERE c.rn > c.room) = 0
        INTO v_blocks, v_all_fit
        FROM (SELECT x.id, a.id AS block, a.seats - a.used AS room,
                     row_number() OVER (PARTITION BY a.id ORDER BY x.position) AS rn
                FROM jsonb_to_recordset(p->'tickets')
                       AS x(id uuid, position integer, "ticketTypeId" uuid, "voucherId" uuid)
                JOIN "Voucher" v ON v.id = x."voucherId" AND v."editionId" = v_edition
                JOIN "SeatAllocation" a ON a.id = v."allocationId" AND a."releasedAt" IS NULL
                     AND (a."ticketTypeId" IS NULL OR a."ticketTypeId" = x."ticketTypeId")) c;
      -- A block full of lapsed holds: release them once, as a claim does, and count again.
      EXIT WHEN v_all_fit OR attempt = 2;
      PERFORM guichet_release_lapsed_holds(v_edition, 1000);
    END LOOP;
  END IF;

  -- The claim: the seat triggers take the edition's counter row, which stays locked until the commit, then the
  -- voucher triggers count the codes' uses (GS006 when one is used up).
  INSERT INTO "Ticket" (id, "orderId", position, "editionId", "ticketTypeId", "firstName", "lastName", email, company,
                        "accessToken", answers, "priceCents", "voucherId", "discountCents", "allocationId", "updatedAt")
  SELECT t.id, v_order, t.position, v_edition, t."ticketTypeId", t."firstName", t."lastName", t.email, t.company,
         t."accessToken", coalesce(t.answers, '{}'), t."priceCents", t."voucherId", coalesce(t."discountCents", 0),
         (v_blocks->>t.id::text)::uuid, clock_timestamp()
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
  -- A free order is confirmed at placement: its offer converts now (a paid one, at payment: Order_waitlist_status).
  IF v_offer_id IS NOT NULL AND (p->'order'->>'status') = 'CONFIRMED' THEN
    PERFORM guichet_waitlist_close_offer(v_offer_id, 'CONVERTED');
  END IF;
  RETURN jsonb_build_object('placed', true);
END $$;
