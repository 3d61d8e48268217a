-- Counting a voucher's uses (issue 17, docs/vouchers.md): a use is an ACTIVE ticket priced with the code whose order
-- is PENDING or CONFIRMED, the same rule as a seat, kept by triggers beside the seat counters so that no path can
-- forget it. A placement's ticket insert takes the uses in the statement that claims the seats (after them: triggers
-- fire by name, seats then vouchers); every status change that frees a seat gives them back; a late payment takes
-- them again. guichet_place_order writes each ticket's code and discount and, for a public buyer, re-checks the
-- code (GS007) and its price (GS005). Lock order: the edition's counter row (the seat triggers take it first), then
-- voucher rows in id order.

-- 1. Functions.

-- The price of a ticket of list price `list` with a voucher: lib/vouchers/pricing.ts's priceWithVoucher, which the
-- placement re-checks against (its tests keep the two in step). `minimum`: the currency's minimum charge.
CREATE FUNCTION guichet_voucher_price(list integer, v "Voucher", minimum integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN d.price > 0 AND d.price < least(list, minimum) THEN least(list, minimum) ELSE d.price END
    FROM (SELECT CASE v.effect
                   WHEN 'PERCENT_OFF' THEN (list * (100 - v."percentOff") + 50) / 100
                   WHEN 'AMOUNT_OFF' THEN greatest(0, list - v."amountCents")
                   WHEN 'FIXED_PRICE' THEN least(list, v."amountCents")
                   ELSE 0 END AS price) d
$$;

-- Takes `n` uses of a code, or gives them back (n < 0). A take is conditional (within maxUses, and for a new
-- placement, `fresh`, on an active code); when it does not fit, the edition's lapsed holds are released once (their
-- uses come back through the order trigger below) and it is tried again; then GS006 (voucher_used_up) rolls the
-- statement back. A late payment re-takes the uses its order was priced with even if the code has been deactivated
-- since: deactivating stops new uses, as lowering maxUses does, and the order was placed before.
CREATE FUNCTION guichet_vouchers_take(voucher uuid, n integer, edition uuid, fresh boolean, spare uuid[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF n <= 0 THEN
    UPDATE "Voucher" SET used = used + n WHERE id = voucher;
    RETURN;
  END IF;
  UPDATE "Voucher" SET used = used + n WHERE id = voucher AND (active OR NOT fresh) AND used + n <= "maxUses";
  IF NOT FOUND THEN
    PERFORM guichet_release_lapsed_holds(edition, 1000, NULL, spare);
    UPDATE "Voucher" SET used = used + n WHERE id = voucher AND (active OR NOT fresh) AND used + n <= "maxUses";
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GS006', MESSAGE = 'voucher_used_up', DETAIL = voucher::text;
    END IF;
  END IF;
END $$;

-- Tickets inserted (a placement): per order, no code priced more tickets than its maxUsesPerOrder (GS007: the
-- caller prices only that many, so this is a backstop); then each code takes its uses, in id order.
CREATE FUNCTION guichet_vouchers_tickets_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  orders uuid[];
BEGIN
  IF EXISTS (
    SELECT 1 FROM added a JOIN "Voucher" v ON v.id = a."voucherId"
     WHERE a.status = 'ACTIVE' AND v."maxUsesPerOrder" IS NOT NULL
     GROUP BY a."orderId", v.id, v."maxUsesPerOrder" HAVING count(*) > v."maxUsesPerOrder"
  ) THEN
    RAISE EXCEPTION USING ERRCODE = 'GS007', MESSAGE = 'voucher_invalid', DETAIL = 'max_uses_per_order';
  END IF;
  SELECT array_agg(DISTINCT a."orderId") INTO orders FROM added a WHERE a."voucherId" IS NOT NULL;
  IF orders IS NULL THEN
    RETURN NULL;
  END IF;
  FOR r IN
    SELECT a."voucherId" AS voucher, min(a."editionId"::text)::uuid AS edition, count(*)::integer AS n
      FROM added a JOIN "Order" o ON o.id = a."orderId"
     WHERE a."voucherId" IS NOT NULL AND a.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING')
     GROUP BY a."voucherId" ORDER BY a."voucherId"
  LOOP
    PERFORM guichet_vouchers_take(r.voucher, r.n, r.edition, true, orders);
  END LOOP;
  RETURN NULL;
END $$;

-- A ticket voided (or moved, which no path does): its old code gets its use back, its new one takes one.
CREATE FUNCTION guichet_vouchers_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted_before boolean := OLD."voucherId" IS NOT NULL AND OLD.status = 'ACTIVE'
    AND EXISTS (SELECT 1 FROM "Order" o WHERE o.id = OLD."orderId" AND o.status IN ('CONFIRMED', 'PENDING'));
  counted_now boolean := NEW."voucherId" IS NOT NULL AND NEW.status = 'ACTIVE'
    AND EXISTS (SELECT 1 FROM "Order" o WHERE o.id = NEW."orderId" AND o.status IN ('CONFIRMED', 'PENDING'));
BEGIN
  IF counted_before AND counted_now AND OLD."voucherId" = NEW."voucherId" THEN
    RETURN NULL;
  END IF;
  IF counted_before THEN
    PERFORM guichet_vouchers_take(OLD."voucherId", -1, OLD."editionId", false);
  END IF;
  IF counted_now THEN
    PERFORM guichet_vouchers_take(NEW."voucherId", 1, NEW."editionId", false, ARRAY[NEW."orderId"]);
  END IF;
  RETURN NULL;
END $$;

-- A ticket deleted on its own (tests, tools). When its order is being deleted too, the order's trigger has given
-- its uses back already and the order is no longer found here.
CREATE FUNCTION guichet_vouchers_ticket_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."voucherId" IS NOT NULL AND OLD.status = 'ACTIVE' AND EXISTS (
    SELECT 1 FROM "Order" o WHERE o.id = OLD."orderId" AND o.status IN ('CONFIRMED', 'PENDING')
  ) THEN
    PERFORM guichet_vouchers_take(OLD."voucherId", -1, OLD."editionId", false);
  END IF;
  RETURN NULL;
END $$;

-- An order leaves PENDING/CONFIRMED (expired, cancelled, refunded, deleted): its ACTIVE tickets' uses come back.
-- An order that comes back to CONFIRMED (a late payment) takes them again, or GS006 refuses it like GS001.
CREATE FUNCTION guichet_vouchers_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_live boolean := OLD.status IN ('CONFIRMED', 'PENDING');
  now_live boolean := TG_OP = 'UPDATE' AND NEW.status IN ('CONFIRMED', 'PENDING');
  r record;
BEGIN
  IF was_live <> now_live THEN
    FOR r IN
      SELECT "voucherId" AS voucher, count(*)::integer AS n FROM "Ticket"
       WHERE "orderId" = OLD.id AND status = 'ACTIVE' AND "voucherId" IS NOT NULL
       GROUP BY 1 ORDER BY 1
    LOOP
      PERFORM guichet_vouchers_take(r.voucher, CASE WHEN now_live THEN r.n ELSE -r.n END, OLD."editionId", false,
                                    ARRAY[OLD.id]);
    END LOOP;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END $$;

-- TRUNCATE (benches start afresh): no ticket is left, no use counts.
CREATE FUNCTION guichet_vouchers_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Voucher" SET used = 0 WHERE used <> 0;
  RETURN NULL;
END $$;

-- "Recount" (the back office) rewrites the codes' uses too, from the tickets.
CREATE OR REPLACE FUNCTION guichet_recount_seats(edition uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  off integer;
  off_types integer;
  off_uses integer;
BEGIN
  INSERT INTO "EditionSeats" ("editionId", capacity, open)
  SELECT id, capacity, status = 'OPEN' FROM "Edition" WHERE id = edition ON CONFLICT DO NOTHING;
  PERFORM 1 FROM "EditionSeats" WHERE "editionId" = edition FOR NO KEY UPDATE;
  INSERT INTO "TicketTypeSeats" ("ticketTypeId", "editionId", quota)
  SELECT id, "editionId", quota FROM "TicketType" WHERE "editionId" = edition ON CONFLICT DO NOTHING;
  CREATE TEMP TABLE guichet_exact ON COMMIT DROP AS
  SELECT tt.id AS type, tt.quota,
         (count(t.id) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS c,
         (count(t.id) FILTER (WHERE o.status = 'PENDING'))::integer AS h
    FROM "TicketType" tt
    LEFT JOIN "Ticket" t ON t."ticketTypeId" = tt.id AND t.status = 'ACTIVE'
    LEFT JOIN "Order" o ON o.id = t."orderId" AND o.status IN ('CONFIRMED', 'PENDING')
   WHERE tt."editionId" = edition GROUP BY tt.id;
  SELECT coalesce(sum(abs(x.c - s.confirmed) + abs(x.h - s.held)), 0) INTO off_types
    FROM "TicketTypeSeats" s JOIN guichet_exact x ON x.type = s."ticketTypeId";
  SELECT abs(coalesce(sum(x.c), 0) - s.confirmed) + abs(coalesce(sum(x.h), 0) - s.held) INTO off
    FROM "EditionSeats" s LEFT JOIN guichet_exact x ON true WHERE s."editionId" = edition GROUP BY s.confirmed, s.held;
  UPDATE "TicketTypeSeats" s SET quota = x.quota, confirmed = x.c, held = x.h
    FROM guichet_exact x WHERE x.type = s."ticketTypeId";
  UPDATE "EditionSeats" s SET capacity = e.capacity, open = e.status = 'OPEN',
         confirmed = (SELECT coalesce(sum(c), 0) FROM guichet_exact), held = (SELECT coalesce(sum(h), 0) FROM guichet_exact)
    FROM "Edition" e WHERE e.id = edition AND s."editionId" = edition;
  DROP TABLE guichet_exact;
  -- The codes' uses, under the same lock (every writer of them holds the edition's row first).
  WITH exact AS (
    SELECT v.id, v.used, count(t.id) FILTER (WHERE o.status IN ('CONFIRMED', 'PENDING'))::integer AS n
      FROM "Voucher" v
      LEFT JOIN "Ticket" t ON t."voucherId" = v.id AND t.status = 'ACTIVE'
      LEFT JOIN "Order" o ON o.id = t."orderId"
     WHERE v."editionId" = edition GROUP BY v.id
  ), fixed AS (
    UPDATE "Voucher" v SET used = exact.n FROM exact WHERE v.id = exact.id AND v.used <> exact.n
    RETURNING abs(exact.n - exact.used) AS off
  )
  SELECT coalesce(sum(fixed.off), 0) INTO off_uses FROM fixed;
  RETURN off + off_types + off_uses;
END $$;

-- The placement, as in 20261202100000_bank_transfer but for each ticket's code and discount. `minimumChargeCents`:
-- the edition's currency's (lib/money/currencies.ts), for the price re-check.
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
  -- instance's cache can then only refuse, never sell a type off sale or at another price. A code is re-checked
  -- first (GS007): it exists in this edition, is active, in its window and applies to the type (none listed: every
  -- type that is not hidden). A hidden type is sold only with a code naming it.
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
          OR (x."voucherId" IS NULL AND (tt.hidden OR x."priceCents" <> tt."priceCents"
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
  INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, payload)
  SELECT e.id, e."dedupeKey", e.kind, v_order, e."toAddress", e.locale, e.payload
    FROM jsonb_populate_recordset(NULL::"EmailOutbox", coalesce(p->'emails', '[]')) e;
  PERFORM guichet_queue_email_job(e.id) FROM jsonb_populate_recordset(NULL::"EmailOutbox", coalesce(p->'emails', '[]')) e;

  -- The claim: the seat triggers take the edition's counter row, which stays locked until the commit, then the
  -- voucher triggers count the codes' uses (GS006 when one is used up).
  INSERT INTO "Ticket" (id, "orderId", position, "editionId", "ticketTypeId", "firstName", "lastName", email, company,
                        "accessToken", answers, "priceCents", "voucherId", "discountCents", "updatedAt")
  SELECT t.id, v_order, t.position, v_edition, t."ticketTypeId", t."firstName", t."lastName", t.email, t.company,
         t."accessToken", coalesce(t.answers, '{}'), t."priceCents", t."voucherId", coalesce(t."discountCents", 0),
         clock_timestamp()
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


-- 2. Backfill, with writers held off (no path wrote a ticket's code before this migration: a no-op but for tools).
LOCK TABLE "Order", "Ticket", "Voucher" IN SHARE ROW EXCLUSIVE MODE;
UPDATE "Voucher" v SET used = x.n
  FROM (SELECT v2.id, count(t.id) FILTER (WHERE o.status IN ('CONFIRMED', 'PENDING'))::integer AS n
          FROM "Voucher" v2
          LEFT JOIN "Ticket" t ON t."voucherId" = v2.id AND t.status = 'ACTIVE'
          LEFT JOIN "Order" o ON o.id = t."orderId"
         GROUP BY v2.id) x
 WHERE v.id = x.id AND v.used <> x.n;

-- 3. Triggers, named to fire after the seat triggers of the same event.
CREATE TRIGGER "Ticket_vouchers_insert" AFTER INSERT ON "Ticket" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_vouchers_tickets_added();
CREATE TRIGGER "Ticket_vouchers_update" AFTER UPDATE OF status, "voucherId", "orderId" ON "Ticket"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD."voucherId" IS DISTINCT FROM NEW."voucherId"
                     OR OLD."orderId" IS DISTINCT FROM NEW."orderId")
  EXECUTE FUNCTION guichet_vouchers_ticket_changed();
CREATE TRIGGER "Ticket_vouchers_delete" AFTER DELETE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION guichet_vouchers_ticket_deleted();
CREATE TRIGGER "Order_vouchers_status" AFTER UPDATE OF status ON "Order"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION guichet_vouchers_order_changed();
CREATE TRIGGER "Order_vouchers_delete" BEFORE DELETE ON "Order"
  FOR EACH ROW EXECUTE FUNCTION guichet_vouchers_order_changed();
CREATE TRIGGER "Order_vouchers_truncate" AFTER TRUNCATE ON "Order"
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_vouchers_truncated();
CREATE TRIGGER "Ticket_vouchers_truncate" AFTER TRUNCATE ON "Ticket"
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_vouchers_truncated();
