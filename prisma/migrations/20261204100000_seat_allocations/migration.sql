-- Reserved allocations (issue 17, docs/vouchers.md): a block of seats set aside for a sponsor or the speakers, taken
-- out of general sale until its release date and sold only with its codes. The counter rows get `reserved`, the
-- unused seats of unreleased blocks, Σ (seats − used); every claim now fits within capacity − reserved, so the public
-- count never shows a reserved seat as free. A ticket that takes a block's seat (Ticket.allocationId, decided by the
-- placement) moves it from `reserved` to held/confirmed in the same counter UPDATE: net zero, so a block's holder gets
-- in even when general sale is sold out. Giving it back moves it back to `reserved` while the block is unreleased, to
-- general sale after. Lock order, for every writer: the edition's counter row, then block rows in id order, then the
-- ticket types' rows, then vouchers (the release job and the back office lock the edition first too).

-- 1. Columns and backstops.
ALTER TABLE "EditionSeats" ADD COLUMN "reserved" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TicketTypeSeats" ADD COLUMN "reserved" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "EditionSeats" DROP CONSTRAINT "EditionSeats_counts", DROP CONSTRAINT "EditionSeats_within_capacity",
  ADD CONSTRAINT "EditionSeats_counts" CHECK (confirmed >= 0 AND held >= 0 AND reserved >= 0),
  ADD CONSTRAINT "EditionSeats_within_capacity" CHECK (confirmed + held + reserved <= capacity);
ALTER TABLE "TicketTypeSeats" DROP CONSTRAINT "TicketTypeSeats_counts", DROP CONSTRAINT "TicketTypeSeats_within_quota",
  ADD CONSTRAINT "TicketTypeSeats_counts" CHECK (confirmed >= 0 AND held >= 0 AND reserved >= 0),
  ADD CONSTRAINT "TicketTypeSeats_within_quota" CHECK (quota IS NULL OR confirmed + held + reserved <= quota);

-- 2. The counters.

-- As in 20261129100000_seat_counters, with reserved seats: `d_reserved[i]` moves the edition's reserved seats for
-- the tickets of type i (a block's seat taken: −1 with +1 held), `d_type_reserved[i]` the type's own (blocks of that
-- type). A change that adds seats overall is conditional on the room left beside the reserved seats.
DROP FUNCTION guichet_seats_apply(uuid, uuid[], integer[], integer[], uuid[]);
CREATE FUNCTION guichet_seats_apply(edition uuid, types uuid[], d_confirmed integer[], d_held integer[],
                                    spare uuid[] DEFAULT '{}', d_reserved integer[] DEFAULT NULL,
                                    d_type_reserved integer[] DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  dc integer := 0;
  dh integer := 0;
  dr integer := 0;
  tr integer;
  i integer;
  released boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(array_length(types, 1), 0) LOOP
    dc := dc + d_confirmed[i];
    dh := dh + d_held[i];
    dr := dr + coalesce(d_reserved[i], 0);
  END LOOP;
  IF dc + dh + dr > 0 THEN
    UPDATE "EditionSeats" SET confirmed = confirmed + dc, held = held + dh, reserved = reserved + dr
     WHERE "editionId" = edition AND confirmed + held + reserved + dc + dh + dr <= capacity;
    IF NOT FOUND THEN
      PERFORM guichet_release_lapsed_holds(edition, 1000, NULL, spare);
      released := true;
      UPDATE "EditionSeats" SET confirmed = confirmed + dc, held = held + dh, reserved = reserved + dr
       WHERE "editionId" = edition AND confirmed + held + reserved + dc + dh + dr <= capacity;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'GS001', MESSAGE = 'sold_out', DETAIL = edition::text;
      END IF;
    END IF;
  ELSIF dc <> 0 OR dh <> 0 OR dr <> 0 THEN
    UPDATE "EditionSeats" SET confirmed = confirmed + dc, held = held + dh, reserved = reserved + dr
     WHERE "editionId" = edition;
  END IF;
  FOR i IN 1 .. coalesce(array_length(types, 1), 0) LOOP
    tr := coalesce(d_type_reserved[i], 0);
    CONTINUE WHEN d_confirmed[i] = 0 AND d_held[i] = 0 AND tr = 0;
    IF d_confirmed[i] + d_held[i] + tr > 0 THEN
      UPDATE "TicketTypeSeats"
         SET confirmed = confirmed + d_confirmed[i], held = held + d_held[i], reserved = reserved + tr
       WHERE "ticketTypeId" = types[i]
         AND (quota IS NULL OR confirmed + held + reserved + d_confirmed[i] + d_held[i] + tr <= quota);
      IF NOT FOUND AND NOT released THEN
        PERFORM guichet_release_lapsed_holds(edition, 1000, NULL, spare);
        released := true;
        UPDATE "TicketTypeSeats"
           SET confirmed = confirmed + d_confirmed[i], held = held + d_held[i], reserved = reserved + tr
         WHERE "ticketTypeId" = types[i]
           AND (quota IS NULL OR confirmed + held + reserved + d_confirmed[i] + d_held[i] + tr <= quota);
      END IF;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'GS001', MESSAGE = 'sold_out', DETAIL = edition::text;
      END IF;
    ELSE
      UPDATE "TicketTypeSeats"
         SET confirmed = confirmed + d_confirmed[i], held = held + d_held[i], reserved = reserved + tr
       WHERE "ticketTypeId" = types[i];
    END IF;
  END LOOP;
END $$;

-- A block's seats used (n > 0) or given back (n < 0). While the block is unreleased a use must fit in it; when it
-- does not (a late payment whose block filled meanwhile), the edition's lapsed holds are released once, then GS001.
-- Once released, the block bounds nothing: its tickets hold general seats.
CREATE FUNCTION guichet_allocation_use(block uuid, n integer, edition uuid, spare uuid[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF n <= 0 THEN
    UPDATE "SeatAllocation" SET used = used + n WHERE id = block;
    RETURN;
  END IF;
  UPDATE "SeatAllocation" SET used = used + n WHERE id = block AND ("releasedAt" IS NOT NULL OR used + n <= seats);
  IF NOT FOUND THEN
    PERFORM guichet_release_lapsed_holds(edition, 1000, NULL, spare);
    UPDATE "SeatAllocation" SET used = used + n WHERE id = block AND ("releasedAt" IS NOT NULL OR used + n <= seats);
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'GS001', MESSAGE = 'sold_out', DETAIL = edition::text;
    END IF;
  END IF;
END $$;

-- Every seat trigger comes here with its moves grouped by (type, block): the blocks' uses first (under the edition's
-- row, taken before them), then one counter change in which a block's seat moves between reserved and held/confirmed
-- while its block is unreleased.
CREATE FUNCTION guichet_seats_move(edition uuid, types uuid[], blocks uuid[], d_confirmed integer[], d_held integer[],
                                   spare uuid[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
  t_types uuid[];
  t_dc integer[];
  t_dh integer[];
  t_dr integer[];
  t_tr integer[];
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(blocks) b WHERE b IS NOT NULL) THEN
    PERFORM 1 FROM "EditionSeats" WHERE "editionId" = edition FOR NO KEY UPDATE;
    FOR r IN
      SELECT g.block, sum(g.c + g.h)::integer AS n
        FROM unnest(blocks, d_confirmed, d_held) AS g(block, c, h)
       WHERE g.block IS NOT NULL GROUP BY g.block HAVING sum(g.c + g.h) <> 0 ORDER BY g.block
    LOOP
      PERFORM guichet_allocation_use(r.block, r.n, edition, spare);
    END LOOP;
  END IF;
  SELECT array_agg(x.type ORDER BY x.type), array_agg(x.c ORDER BY x.type), array_agg(x.h ORDER BY x.type),
         array_agg(x.r ORDER BY x.type), array_agg(x.tr ORDER BY x.type)
    INTO t_types, t_dc, t_dh, t_dr, t_tr
    FROM (SELECT g.type, sum(g.c)::integer AS c, sum(g.h)::integer AS h,
                 sum(CASE WHEN a.id IS NOT NULL AND a."releasedAt" IS NULL THEN -(g.c + g.h) ELSE 0 END)::integer AS r,
                 sum(CASE WHEN a."releasedAt" IS NULL AND a."ticketTypeId" IS NOT NULL THEN -(g.c + g.h) ELSE 0 END)
                   ::integer AS tr
            FROM unnest(types, blocks, d_confirmed, d_held) AS g(type, block, c, h)
            LEFT JOIN "SeatAllocation" a ON a.id = g.block
           GROUP BY g.type) x;
  IF t_types IS NOT NULL THEN
    PERFORM guichet_seats_apply(edition, t_types, t_dc, t_dh, spare, t_dr, t_tr);
  END IF;
END $$;

-- The seat triggers of 20261129100000_seat_counters, grouping their moves by block too.
CREATE OR REPLACE FUNCTION guichet_seats_tickets_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT x.edition, array_agg(x.type) AS types, array_agg(x.block) AS blocks, array_agg(x.c) AS dc,
           array_agg(x.h) AS dh,
           (SELECT array_agg(DISTINCT a."orderId") FROM added a WHERE a."editionId" = x.edition) AS orders
      FROM (SELECT a."editionId" AS edition, a."ticketTypeId" AS type, a."allocationId" AS block,
                   (count(*) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS c,
                   (count(*) FILTER (WHERE o.status = 'PENDING'))::integer AS h
              FROM added a JOIN "Order" o ON o.id = a."orderId"
             WHERE a.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING')
             GROUP BY 1, 2, 3) x
     GROUP BY x.edition ORDER BY x.edition
  LOOP
    PERFORM guichet_seats_move(r.edition, r.types, r.blocks, r.dc, r.dh, r.orders);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION guichet_seats_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT v.edition, array_agg(v.type) AS types, array_agg(v.block) AS blocks, array_agg(v.c) AS dc,
           array_agg(v.h) AS dh
      FROM (SELECT s.edition, s.type, s.block, sum(s.c)::integer AS c, sum(s.h)::integer AS h
              FROM (SELECT OLD."editionId" AS edition, OLD."ticketTypeId" AS type, OLD."allocationId" AS block,
                           -(o.status = 'CONFIRMED')::integer AS c, -(o.status = 'PENDING')::integer AS h
                      FROM "Order" o WHERE o.id = OLD."orderId" AND OLD.status = 'ACTIVE'
                    UNION ALL
                    SELECT NEW."editionId", NEW."ticketTypeId", NEW."allocationId", (o.status = 'CONFIRMED')::integer,
                           (o.status = 'PENDING')::integer
                      FROM "Order" o WHERE o.id = NEW."orderId" AND NEW.status = 'ACTIVE') s
             GROUP BY 1, 2, 3) v
     WHERE v.c <> 0 OR v.h <> 0
     GROUP BY v.edition ORDER BY v.edition
  LOOP
    PERFORM guichet_seats_move(r.edition, r.types, r.blocks, r.dc, r.dh, ARRAY[NEW."orderId"]);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION guichet_seats_ticket_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o_status "OrderStatus";
BEGIN
  SELECT status INTO o_status FROM "Order" WHERE id = OLD."orderId";
  IF OLD.status = 'ACTIVE' AND o_status IN ('CONFIRMED', 'PENDING') THEN
    PERFORM guichet_seats_move(OLD."editionId", ARRAY[OLD."ticketTypeId"], ARRAY[OLD."allocationId"],
                               ARRAY[-(o_status = 'CONFIRMED')::integer], ARRAY[-(o_status = 'PENDING')::integer]);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION guichet_seats_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_c integer := (OLD.status = 'CONFIRMED')::integer;
  was_h integer := (OLD.status = 'PENDING')::integer;
  now_c integer := 0;
  now_h integer := 0;
  types uuid[];
  blocks uuid[];
  dc integer[];
  dh integer[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    now_c := (NEW.status = 'CONFIRMED')::integer;
    now_h := (NEW.status = 'PENDING')::integer;
  END IF;
  IF was_c = now_c AND was_h = now_h THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
  END IF;
  SELECT array_agg(x.type), array_agg(x.block), array_agg(x.n * (now_c - was_c)), array_agg(x.n * (now_h - was_h))
    INTO types, blocks, dc, dh
    FROM (SELECT "ticketTypeId" AS type, "allocationId" AS block, count(*)::integer AS n FROM "Ticket"
           WHERE "orderId" = OLD.id AND status = 'ACTIVE' GROUP BY 1, 2) x;
  IF types IS NOT NULL THEN
    PERFORM guichet_seats_move(OLD."editionId", types, blocks, dc, dh, ARRAY[OLD.id]);
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END $$;

-- Reserves (delta > 0) or gives back an edition's seats, or a type's (`type` set), for a block. Reserving is
-- conditional on the room general sale has left; when it does not fit, lapsed holds are released once, then GS001.
CREATE FUNCTION guichet_reserve(edition uuid, type uuid, delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF delta = 0 THEN
    RETURN;
  END IF;
  FOR attempt IN 1 .. 2 LOOP
    IF type IS NULL THEN
      UPDATE "EditionSeats" SET reserved = reserved + delta
       WHERE "editionId" = edition AND (delta < 0 OR confirmed + held + reserved + delta <= capacity);
    ELSE
      UPDATE "TicketTypeSeats" SET reserved = reserved + delta
       WHERE "ticketTypeId" = type AND (delta < 0 OR quota IS NULL OR confirmed + held + reserved + delta <= quota);
    END IF;
    IF FOUND THEN
      RETURN;
    END IF;
    IF attempt = 1 THEN
      PERFORM guichet_release_lapsed_holds(edition, 2147483647);
    END IF;
  END LOOP;
  RAISE EXCEPTION USING ERRCODE = 'GS001', MESSAGE = 'sold_out', DETAIL = edition::text;
END $$;

-- A block created, resized, moved to another type, released or deleted: what it keeps out of general sale (its
-- unused seats while unreleased) changes by the difference. Its `used` moves with the tickets (guichet_seats_move,
-- which moves `reserved` itself), so this trigger does not watch it.
CREATE FUNCTION guichet_allocation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was integer := 0;
  now_kept integer := 0;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."releasedAt" IS NULL THEN
    was := OLD.seats - OLD.used;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."releasedAt" IS NULL THEN
    now_kept := NEW.seats - NEW.used;
  END IF;
  -- Give back first, then take, so that a resize never counts both.
  IF TG_OP <> 'INSERT' THEN
    PERFORM guichet_reserve(OLD."editionId", NULL, -was);
    IF OLD."ticketTypeId" IS NOT NULL THEN
      PERFORM guichet_reserve(OLD."editionId", OLD."ticketTypeId", -was);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM guichet_reserve(NEW."editionId", NULL, now_kept);
    IF NEW."ticketTypeId" IS NOT NULL THEN
      PERFORM guichet_reserve(NEW."editionId", NEW."ticketTypeId", now_kept);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- TRUNCATE (benches start afresh): no ticket is left, no block seat is used, every unreleased block is whole.
CREATE OR REPLACE FUNCTION guichet_seats_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SeatAllocation" SET used = 0 WHERE used <> 0;
  UPDATE "EditionSeats" s SET confirmed = 0, held = 0,
         reserved = (SELECT coalesce(sum(a.seats), 0) FROM "SeatAllocation" a
                      WHERE a."editionId" = s."editionId" AND a."releasedAt" IS NULL)
   WHERE confirmed <> 0 OR held <> 0 OR reserved <> 0 OR EXISTS (
     SELECT 1 FROM "SeatAllocation" a WHERE a."editionId" = s."editionId" AND a."releasedAt" IS NULL);
  UPDATE "TicketTypeSeats" s SET confirmed = 0, held = 0,
         reserved = (SELECT coalesce(sum(a.seats), 0) FROM "SeatAllocation" a
                      WHERE a."ticketTypeId" = s."ticketTypeId" AND a."releasedAt" IS NULL)
   WHERE confirmed <> 0 OR held <> 0 OR reserved <> 0 OR EXISTS (
     SELECT 1 FROM "SeatAllocation" a WHERE a."ticketTypeId" = s."ticketTypeId" AND a."releasedAt" IS NULL);
  RETURN NULL;
END $$;

-- A capacity or quota lowered below what the row counts, reserved seats included, first releases lapsed holds.
CREATE OR REPLACE FUNCTION guichet_seats_edition_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "EditionSeats" ("editionId", capacity, open) VALUES (NEW.id, NEW.capacity, NEW.status = 'OPEN');
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM "EditionSeats" WHERE "editionId" = NEW.id AND confirmed + held + reserved > NEW.capacity)
  THEN
    PERFORM guichet_release_lapsed_holds(NEW.id, 2147483647);
  END IF;
  UPDATE "EditionSeats" SET capacity = NEW.capacity, open = NEW.status = 'OPEN' WHERE "editionId" = NEW.id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION guichet_seats_ticket_type_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "TicketTypeSeats" ("ticketTypeId", "editionId", quota) VALUES (NEW.id, NEW."editionId", NEW.quota);
    RETURN NULL;
  END IF;
  PERFORM 1 FROM "EditionSeats" WHERE "editionId" = NEW."editionId" FOR NO KEY UPDATE;
  IF EXISTS (SELECT 1 FROM "TicketTypeSeats" WHERE "ticketTypeId" = NEW.id AND confirmed + held + reserved > NEW.quota)
  THEN
    PERFORM guichet_release_lapsed_holds(NEW."editionId", 2147483647);
  END IF;
  UPDATE "TicketTypeSeats" SET quota = NEW.quota WHERE "ticketTypeId" = NEW.id;
  RETURN NULL;
END $$;

-- "Recount" rewrites the blocks' uses and the reserved seats too, from the tickets and the blocks.
CREATE OR REPLACE FUNCTION guichet_recount_seats(edition uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  off integer;
  off_types integer;
  off_uses integer;
  off_blocks integer;
BEGIN
  INSERT INTO "EditionSeats" ("editionId", capacity, open)
  SELECT id, capacity, status = 'OPEN' FROM "Edition" WHERE id = edition ON CONFLICT DO NOTHING;
  PERFORM 1 FROM "EditionSeats" WHERE "editionId" = edition FOR NO KEY UPDATE;
  INSERT INTO "TicketTypeSeats" ("ticketTypeId", "editionId", quota)
  SELECT id, "editionId", quota FROM "TicketType" WHERE "editionId" = edition ON CONFLICT DO NOTHING;
  -- The blocks first: their uses give the reserved seats.
  WITH exact AS (
    SELECT a.id, a.used, count(t.id) FILTER (WHERE o.status IN ('CONFIRMED', 'PENDING'))::integer AS n
      FROM "SeatAllocation" a
      LEFT JOIN "Ticket" t ON t."allocationId" = a.id AND t.status = 'ACTIVE'
      LEFT JOIN "Order" o ON o.id = t."orderId"
     WHERE a."editionId" = edition GROUP BY a.id
  ), fixed AS (
    UPDATE "SeatAllocation" a SET used = exact.n FROM exact WHERE a.id = exact.id AND a.used <> exact.n
    RETURNING abs(exact.n - exact.used) AS off
  )
  SELECT coalesce(sum(fixed.off), 0) INTO off_blocks FROM fixed;
  CREATE TEMP TABLE guichet_exact ON COMMIT DROP AS
  SELECT tt.id AS type, tt.quota,
         (count(t.id) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS c,
         (count(t.id) FILTER (WHERE o.status = 'PENDING'))::integer AS h,
         (SELECT coalesce(sum(greatest(a.seats - a.used, 0)), 0) FROM "SeatAllocation" a
           WHERE a."ticketTypeId" = tt.id AND a."releasedAt" IS NULL)::integer AS r
    FROM "TicketType" tt
    LEFT JOIN "Ticket" t ON t."ticketTypeId" = tt.id AND t.status = 'ACTIVE'
    LEFT JOIN "Order" o ON o.id = t."orderId" AND o.status IN ('CONFIRMED', 'PENDING')
   WHERE tt."editionId" = edition GROUP BY tt.id;
  SELECT coalesce(sum(abs(x.c - s.confirmed) + abs(x.h - s.held) + abs(x.r - s.reserved)), 0) INTO off_types
    FROM "TicketTypeSeats" s JOIN guichet_exact x ON x.type = s."ticketTypeId";
  SELECT abs(coalesce(sum(x.c), 0) - s.confirmed) + abs(coalesce(sum(x.h), 0) - s.held)
         + abs((SELECT coalesce(sum(greatest(a.seats - a.used, 0)), 0) FROM "SeatAllocation" a
                 WHERE a."editionId" = edition AND a."releasedAt" IS NULL) - s.reserved) INTO off
    FROM "EditionSeats" s LEFT JOIN guichet_exact x ON true WHERE s."editionId" = edition
   GROUP BY s.confirmed, s.held, s.reserved;
  UPDATE "TicketTypeSeats" s SET quota = x.quota, confirmed = x.c, held = x.h, reserved = x.r
    FROM guichet_exact x WHERE x.type = s."ticketTypeId";
  UPDATE "EditionSeats" s SET capacity = e.capacity, open = e.status = 'OPEN',
         confirmed = (SELECT coalesce(sum(c), 0) FROM guichet_exact),
         held = (SELECT coalesce(sum(h), 0) FROM guichet_exact),
         reserved = (SELECT coalesce(sum(greatest(a.seats - a.used, 0)), 0) FROM "SeatAllocation" a
                      WHERE a."editionId" = edition AND a."releasedAt" IS NULL)
    FROM "Edition" e WHERE e.id = edition AND s."editionId" = edition;
  DROP TABLE guichet_exact;
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
  RETURN off + off_types + off_uses + off_blocks;
END $$;

-- 3. The placement, as in 20261203110000_voucher_uses, deciding which tickets take a block's seat.
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

  -- A block's seats: a ticket priced with a code of an unreleased block (of the ticket's type, if the block has one)
  -- takes one of the block's seats while it has some left, in position order; the others take general seats. Decided
  -- under the edition's counter row, which the release job and the seat triggers take first too.
  IF EXISTS (SELECT 1 FROM jsonb_to_recordset(p->'tickets') AS x("voucherId" uuid)
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
  RETURN jsonb_build_object('placed', true);
END $$;

-- 4. Backfill (no block existed before this migration's counters: a no-op but for tools) and triggers.
LOCK TABLE "SeatAllocation", "EditionSeats", "TicketTypeSeats" IN SHARE ROW EXCLUSIVE MODE;
UPDATE "EditionSeats" s SET reserved = x.r
  FROM (SELECT "editionId", sum(greatest(seats - used, 0))::integer AS r FROM "SeatAllocation"
         WHERE "releasedAt" IS NULL GROUP BY 1) x
 WHERE x."editionId" = s."editionId";
UPDATE "TicketTypeSeats" s SET reserved = x.r
  FROM (SELECT "ticketTypeId", sum(greatest(seats - used, 0))::integer AS r FROM "SeatAllocation"
         WHERE "releasedAt" IS NULL AND "ticketTypeId" IS NOT NULL GROUP BY 1) x
 WHERE x."ticketTypeId" = s."ticketTypeId";

CREATE TRIGGER "SeatAllocation_reserved" AFTER INSERT OR DELETE OR UPDATE OF seats, "releasedAt", "ticketTypeId",
  "editionId" ON "SeatAllocation" FOR EACH ROW EXECUTE FUNCTION guichet_allocation_changed();
