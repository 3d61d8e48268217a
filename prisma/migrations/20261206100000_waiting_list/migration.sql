-- The waiting list (issue 18, docs/waiting-list.md): entries in line, and offers that are blocks of one entry's
-- (SeatAllocation kind OFFER), so an offer's seats sit in `reserved` like a sponsor's. Seats are offered by the seat
-- triggers, in the transaction that frees them, under the edition's counter row (guichet_waitlist_serve); only time
-- (an offer lapsing) is left to a sweep. Lock order, for every writer: the edition's counter row, then entries and
-- offers, then blocks by id, then ticket types, then vouchers.

-- 1. Types, tables, columns.
CREATE TYPE "WaitingListStatus" AS ENUM ('WAITING', 'OFFERED', 'CONVERTED', 'LAPSED', 'DECLINED', 'REMOVED');
CREATE TYPE "WaitingListOfferStatus" AS ENUM ('GATHERING', 'OFFERED', 'CONVERTED', 'LAPSED', 'DECLINED', 'WITHDRAWN');
CREATE TYPE "AllocationKind" AS ENUM ('BLOCK', 'OFFER');

ALTER TABLE "SeatAllocation" ADD COLUMN "kind" "AllocationKind" NOT NULL DEFAULT 'BLOCK';
-- An offer's tickets take its block's seats without a code: a block's seat no longer implies one.
ALTER TABLE "Ticket" DROP CONSTRAINT "Ticket_discount_has_voucher",
  ADD CONSTRAINT "Ticket_discount_has_voucher" CHECK ("voucherId" IS NOT NULL OR "discountCents" = 0);

ALTER TABLE "Edition" ADD COLUMN "waitingListOpen" BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN "waitingListPaused" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "waitingListOfferHours" INTEGER NOT NULL DEFAULT 24,
  ADD CONSTRAINT "Edition_waitingListOfferHours" CHECK ("waitingListOfferHours" BETWEEN 1 AND 168);

CREATE TABLE "WaitingListEntry" (
  "id" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "name" VARCHAR(200) NOT NULL,
  "email" VARCHAR(254) NOT NULL,
  "emailKey" VARCHAR(254) NOT NULL,
  "locale" "Locale" NOT NULL,
  "seatsWanted" INTEGER NOT NULL,
  "acceptsFewer" BOOLEAN NOT NULL DEFAULT false,
  -- The ordering key of the line, from its own sequence: never reused, so joining again is a place at the end.
  "position" BIGSERIAL NOT NULL,
  "token" VARCHAR(64) NOT NULL,
  "status" "WaitingListStatus" NOT NULL DEFAULT 'WAITING',
  "removedBy" VARCHAR(16),
  "passedOver" INTEGER NOT NULL DEFAULT 0,
  "joinedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  "closedAt" TIMESTAMPTZ(3),
  CONSTRAINT "WaitingListEntry_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "WaitingListEntry_seatsWanted" CHECK ("seatsWanted" >= 1),
  CONSTRAINT "WaitingListEntry_removedBy" CHECK ("removedBy" IS NULL OR "removedBy" IN ('self', 'organiser'))
);
CREATE UNIQUE INDEX "WaitingListEntry_token_key" ON "WaitingListEntry"("token");
CREATE UNIQUE INDEX "WaitingListEntry_position_key" ON "WaitingListEntry"("position");
CREATE UNIQUE INDEX "WaitingListEntry_live_email" ON "WaitingListEntry"("editionId", "emailKey")
  WHERE status IN ('WAITING', 'OFFERED');
-- The walk's probe: "does anyone wait here", then the line in order.
CREATE INDEX "WaitingListEntry_waiting" ON "WaitingListEntry"("editionId", "position") WHERE status = 'WAITING';
CREATE INDEX "WaitingListEntry_editionId_position_idx" ON "WaitingListEntry"("editionId", "position");
ALTER TABLE "WaitingListEntry" ADD CONSTRAINT "WaitingListEntry_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "WaitingListEntryType" (
  "entryId" UUID NOT NULL,
  "ticketTypeId" UUID NOT NULL,
  CONSTRAINT "WaitingListEntryType_pkey" PRIMARY KEY ("entryId", "ticketTypeId")
);
CREATE INDEX "WaitingListEntryType_ticketTypeId_idx" ON "WaitingListEntryType"("ticketTypeId");
ALTER TABLE "WaitingListEntryType" ADD CONSTRAINT "WaitingListEntryType_entryId_fkey" FOREIGN KEY ("entryId")
  REFERENCES "WaitingListEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WaitingListEntryType" ADD CONSTRAINT "WaitingListEntryType_ticketTypeId_fkey" FOREIGN KEY ("ticketTypeId")
  REFERENCES "TicketType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "WaitingListOffer" (
  "id" UUID NOT NULL,
  "entryId" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "ticketTypeId" UUID NOT NULL,
  "seats" INTEGER NOT NULL,
  "allocationId" UUID NOT NULL,
  "status" "WaitingListOfferStatus" NOT NULL,
  "manual" BOOLEAN NOT NULL DEFAULT false,
  "offeredAt" TIMESTAMPTZ(3),
  "expiresAt" TIMESTAMPTZ(3),
  "orderId" UUID,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  "closedAt" TIMESTAMPTZ(3),
  CONSTRAINT "WaitingListOffer_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "WaitingListOffer_seats" CHECK ("seats" >= 1),
  CONSTRAINT "WaitingListOffer_expiry" CHECK (status <> 'OFFERED' OR "expiresAt" IS NOT NULL)
);
CREATE UNIQUE INDEX "WaitingListOffer_allocationId_key" ON "WaitingListOffer"("allocationId");
CREATE UNIQUE INDEX "WaitingListOffer_open" ON "WaitingListOffer"("entryId") WHERE status IN ('GATHERING', 'OFFERED');
CREATE INDEX "WaitingListOffer_due" ON "WaitingListOffer"("expiresAt") WHERE status = 'OFFERED';
CREATE INDEX "WaitingListOffer_gathering" ON "WaitingListOffer"("editionId") WHERE status = 'GATHERING';
CREATE INDEX "WaitingListOffer_entryId_idx" ON "WaitingListOffer"("entryId");
CREATE INDEX "WaitingListOffer_editionId_idx" ON "WaitingListOffer"("editionId");
CREATE INDEX "WaitingListOffer_orderId_idx" ON "WaitingListOffer"("orderId");
ALTER TABLE "WaitingListOffer" ADD CONSTRAINT "WaitingListOffer_entryId_fkey" FOREIGN KEY ("entryId")
  REFERENCES "WaitingListEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WaitingListOffer" ADD CONSTRAINT "WaitingListOffer_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WaitingListOffer" ADD CONSTRAINT "WaitingListOffer_ticketTypeId_fkey" FOREIGN KEY ("ticketTypeId")
  REFERENCES "TicketType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "WaitingListOffer" ADD CONSTRAINT "WaitingListOffer_allocationId_fkey" FOREIGN KEY ("allocationId")
  REFERENCES "SeatAllocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "WaitingListOffer" ADD CONSTRAINT "WaitingListOffer_orderId_fkey" FOREIGN KEY ("orderId")
  REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- 2. Time and durations.

-- The waiting list's clock: `guichet.now` when a caller set it for its transaction (the sweep, tests, the e2e
-- clock), else the wall clock.
CREATE FUNCTION guichet_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('guichet.now', true), '')::timestamptz, clock_timestamp())
$$;

-- How long an offer lasts at `now`: the organiser's hours, shortened close to the start (an eighth of the time
-- left, at least an hour); NULL within 2 h of the start, when the list offers nothing any more.
CREATE FUNCTION guichet_waitlist_offer_hours(edition uuid, now timestamptz) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN e."startsAt" - now < interval '2 hours' THEN NULL
              ELSE least(e."waitingListOfferHours",
                         greatest(1, floor(extract(epoch FROM e."startsAt" - now) / 3600 / 8)::integer)) END
    FROM "Edition" e WHERE e.id = edition
$$;

-- 3. Offering.

-- An outbox row and its job for a waiting-list email, sent after the commit; the dedupe key keeps it to one.
CREATE FUNCTION guichet_waitlist_email(kind text, dedupe text, entry "WaitingListEntry", payload jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  outbox uuid;
BEGIN
  INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "toAddress", locale, payload)
  VALUES (gen_random_uuid(), dedupe, kind, entry.email, entry.locale, payload)
  ON CONFLICT ("dedupeKey") DO NOTHING
  RETURNING id INTO outbox;
  IF outbox IS NOT NULL THEN
    PERFORM guichet_queue_email_job(outbox);
  END IF;
END $$;

-- A gathering or new offer becomes OFFERED: its deadline (never past its type's end of sale), its block kept until
-- then, its entry OFFERED, its email. FALSE when the list is closed (too close to the start).
CREATE FUNCTION guichet_waitlist_open_offer(offer uuid) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  o "WaitingListOffer";
  e "WaitingListEntry";
  v_now timestamptz := guichet_now();
  v_hours integer;
  v_expires timestamptz;
BEGIN
  SELECT * INTO o FROM "WaitingListOffer" WHERE id = offer;
  v_hours := guichet_waitlist_offer_hours(o."editionId", v_now);
  IF v_hours IS NULL THEN
    RETURN false;
  END IF;
  SELECT least(v_now + v_hours * interval '1 hour', tt."salesEndAt") INTO v_expires
    FROM "TicketType" tt WHERE tt.id = o."ticketTypeId";
  UPDATE "WaitingListOffer" SET status = 'OFFERED', "offeredAt" = v_now, "expiresAt" = v_expires,
         "updatedAt" = clock_timestamp()
   WHERE id = offer;
  UPDATE "SeatAllocation" SET "releaseAt" = v_expires, "updatedAt" = clock_timestamp() WHERE id = o."allocationId";
  UPDATE "WaitingListEntry" SET status = 'OFFERED', "updatedAt" = clock_timestamp() WHERE id = o."entryId"
  RETURNING * INTO e;
  PERFORM guichet_waitlist_email('waitlist_offer', 'waitlist_offer:' || offer, e,
                                 jsonb_build_object('offerId', offer, 'entryId', e.id));
  RETURN true;
END $$;

-- Offers `seats` of `type` to an entry (GATHERING: seats kept towards its number, the entry still WAITING). The
-- entry row is locked and re-checked (still WAITING, no open offer, the seats within what it asked); NULL when it
-- moved meanwhile, and the walk goes on. The block's insert reserves the seats (its trigger, conditional: the CHECK
-- on the counter row is the backstop). Exact groups ahead in line are passed over by these seats.
CREATE FUNCTION guichet_waitlist_offer_entry(entry uuid, type uuid, seats integer, gathering boolean, manual boolean)
RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  e "WaitingListEntry";
  v_now timestamptz := guichet_now();
  v_block uuid := gen_random_uuid();
  v_offer uuid := gen_random_uuid();
  v_starts timestamptz;
BEGIN
  SELECT * INTO e FROM "WaitingListEntry" WHERE id = entry FOR UPDATE;
  IF e.status IS DISTINCT FROM 'WAITING' OR seats < 1 OR seats > e."seatsWanted"
     OR (NOT gathering AND NOT manual AND NOT e."acceptsFewer" AND seats <> e."seatsWanted")
     OR EXISTS (SELECT 1 FROM "WaitingListOffer" WHERE "entryId" = entry AND status IN ('GATHERING', 'OFFERED')) THEN
    RETURN NULL;
  END IF;
  IF NOT gathering AND guichet_waitlist_offer_hours(e."editionId", v_now) IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT "startsAt" INTO v_starts FROM "Edition" WHERE id = e."editionId";
  INSERT INTO "SeatAllocation" (id, "editionId", name, seats, "ticketTypeId", "releaseAt", kind, "updatedAt")
  VALUES (v_block, e."editionId", 'waiting list #' || e.position, seats, type, v_starts, 'OFFER', clock_timestamp());
  INSERT INTO "WaitingListOffer" (id, "entryId", "editionId", "ticketTypeId", seats, "allocationId", status, manual,
                                  "updatedAt")
  VALUES (v_offer, entry, e."editionId", type, seats, v_block, 'GATHERING', manual, clock_timestamp());
  UPDATE "WaitingListEntry" w SET "passedOver" = w."passedOver" + seats, "updatedAt" = clock_timestamp()
   WHERE w."editionId" = e."editionId" AND w.status = 'WAITING' AND w.position < e.position
     AND NOT w."acceptsFewer" AND w."seatsWanted" > 1
     AND NOT EXISTS (SELECT 1 FROM "WaitingListOffer" x
                      WHERE x."entryId" = w.id AND x.status IN ('GATHERING', 'OFFERED'));
  IF NOT gathering THEN
    PERFORM guichet_waitlist_open_offer(v_offer);
  END IF;
  RETURN v_offer;
END $$;

-- Closes an open offer: LAPSED, DECLINED, WITHDRAWN (its entry REMOVED already, or a gathering dissolved: the entry
-- waits on) or CONVERTED. Its block is released, so its unused seats leave `reserved` and go to the next entry
-- through the block's trigger, in the same transaction. FALSE when the offer was not open.
CREATE FUNCTION guichet_waitlist_close_offer(offer uuid, status "WaitingListOfferStatus") RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  o "WaitingListOffer";
  e "WaitingListEntry";
  v_now timestamptz := guichet_now();
BEGIN
  SELECT * INTO o FROM "WaitingListOffer" WHERE id = offer FOR UPDATE;
  IF o.status IS NULL OR o.status NOT IN ('GATHERING', 'OFFERED') THEN
    RETURN false;
  END IF;
  UPDATE "WaitingListOffer" SET status = guichet_waitlist_close_offer.status, "closedAt" = v_now,
         "updatedAt" = clock_timestamp()
   WHERE id = offer;
  IF guichet_waitlist_close_offer.status <> 'WITHDRAWN' THEN
    UPDATE "WaitingListEntry" SET status = guichet_waitlist_close_offer.status::text::"WaitingListStatus",
           "closedAt" = v_now, "updatedAt" = clock_timestamp()
     WHERE id = o."entryId" AND "WaitingListEntry".status IN ('WAITING', 'OFFERED')
    RETURNING * INTO e;
  END IF;
  UPDATE "SeatAllocation" SET "releasedAt" = v_now, "updatedAt" = clock_timestamp()
   WHERE id = o."allocationId" AND "releasedAt" IS NULL;
  IF guichet_waitlist_close_offer.status = 'LAPSED' AND e.id IS NOT NULL THEN
    PERFORM guichet_waitlist_email('waitlist_offer_lapsed', 'waitlist_lapsed:' || offer, e,
                                   jsonb_build_object('offerId', offer, 'entryId', e.id));
  END IF;
  RETURN true;
END $$;

-- The edition's room offered to its list (docs/waiting-list.md, "The walk"), under the edition's counter row. Room
-- counts lapsed holds not yet released as taken, so every reserve fits without releasing any (no re-entry; the
-- transaction-local flag guichet.serving guards anyway, as the blocks' triggers call back here). Returns the offers
-- made or completed.
CREATE FUNCTION guichet_waitlist_serve(edition uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  ed "Edition";
  v_now timestamptz;
  v_room integer;
  v_last_call boolean;
  v_made integer := 0;
  g record;
  w record;
  t record;
  v_grow integer;
  v_need integer;
BEGIN
  IF current_setting('guichet.serving', true) = 'on' THEN
    RETURN 0;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "WaitingListEntry" WHERE "editionId" = edition AND status = 'WAITING') THEN
    RETURN 0;
  END IF;
  SELECT * INTO ed FROM "Edition" WHERE id = edition;
  v_now := guichet_now();
  IF ed."waitingListPaused" OR ed.status <> 'OPEN' OR guichet_waitlist_offer_hours(edition, v_now) IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM set_config('guichet.serving', 'on', true);
  PERFORM 1 FROM "EditionSeats" WHERE "editionId" = edition FOR NO KEY UPDATE;
  v_last_call := ed."startsAt" - v_now < interval '48 hours';

  -- 1. A group being gathered for grows first; incomplete, it stops the walk. At the last call, or with its type off
  -- sale, it is dissolved: the entry waits on and its seats are walked again.
  SELECT o.id, o.seats, o."allocationId", o."ticketTypeId", x."seatsWanted" INTO g
    FROM "WaitingListOffer" o JOIN "WaitingListEntry" x ON x.id = o."entryId"
   WHERE o."editionId" = edition AND o.status = 'GATHERING' ORDER BY x.position LIMIT 1 FOR UPDATE OF o;
  IF g.id IS NOT NULL THEN
    IF v_last_call OR NOT EXISTS (SELECT 1 FROM guichet_waitlist_type_room(edition, v_now) r
                                   WHERE r.type = g."ticketTypeId") THEN
      PERFORM guichet_waitlist_close_offer(g.id, 'WITHDRAWN');
    ELSE
      SELECT least(r.room, g."seatsWanted" - g.seats) INTO v_grow
        FROM guichet_waitlist_type_room(edition, v_now) r WHERE r.type = g."ticketTypeId";
      IF v_grow > 0 THEN
        UPDATE "SeatAllocation" SET seats = seats + v_grow, "updatedAt" = clock_timestamp() WHERE id = g."allocationId";
        UPDATE "WaitingListOffer" SET seats = seats + v_grow, "updatedAt" = clock_timestamp() WHERE id = g.id;
      END IF;
      IF g.seats + v_grow < g."seatsWanted" OR NOT guichet_waitlist_open_offer(g.id) THEN
        PERFORM set_config('guichet.serving', '', true);
        RETURN v_made;
      END IF;
      v_made := v_made + 1;
    END IF;
  END IF;

  -- 2. The line in order: the first acceptable type, in the edition's order, with room for what the entry needs.
  SELECT capacity - confirmed - held - reserved INTO v_room FROM "EditionSeats" WHERE "editionId" = edition;
  FOR w IN
    SELECT x.id, x."seatsWanted", x."acceptsFewer", x."passedOver" FROM "WaitingListEntry" x
     WHERE x."editionId" = edition AND x.status = 'WAITING'
       AND NOT EXISTS (SELECT 1 FROM "WaitingListOffer" o
                        WHERE o."entryId" = x.id AND o.status IN ('GATHERING', 'OFFERED'))
     ORDER BY x.position
  LOOP
    EXIT WHEN v_room <= 0;
    v_need := CASE WHEN w."acceptsFewer" THEN 1 ELSE w."seatsWanted" END;
    SELECT r.type, r.room INTO t
      FROM guichet_waitlist_type_room(edition, v_now) r
      JOIN "WaitingListEntryType" et ON et."ticketTypeId" = r.type AND et."entryId" = w.id
     WHERE r.room >= v_need ORDER BY r.ord LIMIT 1;
    IF t.type IS NOT NULL THEN
      IF guichet_waitlist_offer_entry(w.id, t.type, least(t.room, w."seatsWanted"), false, false) IS NOT NULL THEN
        v_made := v_made + 1;
        SELECT capacity - confirmed - held - reserved INTO v_room FROM "EditionSeats" WHERE "editionId" = edition;
      END IF;
      CONTINUE;
    END IF;
    -- An exact group passed over by its own number: the room is kept for it from now on.
    IF NOT w."acceptsFewer" AND w."passedOver" >= w."seatsWanted" AND NOT v_last_call
       AND guichet_waitlist_gather(edition, v_now, w.id) THEN
      PERFORM set_config('guichet.serving', '', true);
      RETURN v_made;
    END IF;
  END LOOP;

  -- 3. Room nobody fitted: the first exact group that could use it starts gathering, so seats go to the public only
  -- when no waiting entry could ever use them.
  IF v_room > 0 AND NOT v_last_call THEN
    FOR w IN
      SELECT x.id FROM "WaitingListEntry" x
       WHERE x."editionId" = edition AND x.status = 'WAITING' AND NOT x."acceptsFewer"
         AND NOT EXISTS (SELECT 1 FROM "WaitingListOffer" o
                          WHERE o."entryId" = x.id AND o.status IN ('GATHERING', 'OFFERED'))
       ORDER BY x.position
    LOOP
      EXIT WHEN guichet_waitlist_gather(edition, v_now, w.id);
    END LOOP;
  END IF;
  PERFORM set_config('guichet.serving', '', true);
  RETURN v_made;
END $$;

-- The room each ticket type on sale at `now` has for the list: the edition's room and the type's own (its quota
-- less its counts; none: the edition's), in the edition's type order.
CREATE FUNCTION guichet_waitlist_type_room(edition uuid, now timestamptz)
RETURNS TABLE (type uuid, room integer, ord bigint) LANGUAGE sql STABLE AS $$
  SELECT tt.id, least(es.capacity - es.confirmed - es.held - es.reserved,
                      coalesce(s.quota - s.confirmed - s.held - s.reserved, es.capacity))::integer,
         row_number() OVER (ORDER BY tt.position, tt.id)
    FROM "TicketType" tt
    JOIN "TicketTypeSeats" s ON s."ticketTypeId" = tt.id
    JOIN "EditionSeats" es ON es."editionId" = tt."editionId"
   WHERE tt."editionId" = edition AND tt.active AND NOT tt.hidden
     AND (tt."salesStartAt" IS NULL OR tt."salesStartAt" <= now) AND (tt."salesEndAt" IS NULL OR tt."salesEndAt" > now)
$$;

-- Starts gathering the room for an exact group, on its first acceptable type with room; all it asked for at once
-- is an offer straight away. FALSE when none of its types has room.
CREATE FUNCTION guichet_waitlist_gather(edition uuid, now timestamptz, entry uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  t record;
  v_wanted integer;
BEGIN
  SELECT "seatsWanted" INTO v_wanted FROM "WaitingListEntry" WHERE id = entry;
  SELECT r.type, least(r.room, v_wanted) AS seats INTO t
    FROM guichet_waitlist_type_room(edition, now) r
    JOIN "WaitingListEntryType" et ON et."ticketTypeId" = r.type AND et."entryId" = entry
   WHERE r.room > 0 ORDER BY r.ord LIMIT 1;
  IF t.type IS NULL THEN
    RETURN false;
  END IF;
  RETURN guichet_waitlist_offer_entry(entry, t.type, t.seats, t.seats < v_wanted, false) IS NOT NULL;
END $$;

-- 4. The seat functions call the walk whenever seats leave `confirmed + held + reserved`.
CREATE OR REPLACE FUNCTION guichet_seats_apply(edition uuid, types uuid[], d_confirmed integer[], d_held integer[],
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
  -- Seats given back (a hold released, a cancellation, a refund, a ticket voided) go to the list first. A block's
  -- seat back in its block moves nothing overall and finds no room.
  IF dc + dh + dr < 0 OR EXISTS (SELECT 1 FROM generate_subscripts(types, 1) k
                                  WHERE d_confirmed[k] + d_held[k] + coalesce(d_type_reserved[k], 0) < 0) THEN
    PERFORM guichet_waitlist_serve(edition);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION guichet_allocation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
  -- Fewer seats kept out of sale (a block released or shrunk, an offer closed): the list has them first.
  IF TG_OP = 'DELETE' THEN
    PERFORM guichet_waitlist_serve(OLD."editionId");
  ELSIF TG_OP = 'UPDATE' AND (now_kept < was OR OLD."ticketTypeId" IS DISTINCT FROM NEW."ticketTypeId") THEN
    PERFORM guichet_waitlist_serve(NEW."editionId");
  END IF;
  RETURN NULL;
END $$;

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
  -- Capacity raised or the edition reopened: the list first.
  PERFORM guichet_waitlist_serve(NEW.id);
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
  -- A quota raised, a type put on sale: the list first.
  PERFORM guichet_waitlist_serve(NEW."editionId");
  RETURN NULL;
END $$;

-- The truncate trigger of 20261204100000_seat_allocations, with the offers' blocks.
CREATE OR REPLACE FUNCTION guichet_seats_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- TRUNCATE "Order" CASCADE empties the waiting list's offers too (they name their orders): their blocks are
  -- released first, while `used` still matches the counters, so no seat stays kept for an offer that is gone.
  UPDATE "SeatAllocation" a SET "releasedAt" = clock_timestamp(), "updatedAt" = clock_timestamp()
   WHERE a.kind = 'OFFER' AND a."releasedAt" IS NULL
     AND NOT EXISTS (SELECT 1 FROM "WaitingListOffer" o WHERE o."allocationId" = a.id);
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

-- 5. The placement, as in 20261204100000_seat_allocations, taking an offer (p.offer = {id}).
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

-- 6. Conversion: an order placed with an offer becoming CONFIRMED (paid) closes its offer CONVERTED and releases its
-- block: the seats bought stay confirmed, as general seats now; unused ones go to the next entry. Fires after the
-- seat and voucher triggers (names in order), under the payer's order lock, then the edition's row.
CREATE FUNCTION guichet_waitlist_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  offer uuid;
BEGIN
  IF NEW.status = 'CONFIRMED' AND OLD.status <> 'CONFIRMED' THEN
    SELECT id INTO offer FROM "WaitingListOffer" WHERE "orderId" = NEW.id AND status = 'OFFERED';
    IF offer IS NOT NULL THEN
      PERFORM 1 FROM "EditionSeats" WHERE "editionId" = NEW."editionId" FOR NO KEY UPDATE;
      PERFORM guichet_waitlist_close_offer(offer, 'CONVERTED');
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- 7. Triggers. A type's sale (active, hidden, window) now matters to the list too.
CREATE TRIGGER "Order_waitlist_status" AFTER UPDATE OF status ON "Order"
  FOR EACH ROW EXECUTE FUNCTION guichet_waitlist_order_changed();
DROP TRIGGER "TicketType_seats_update" ON "TicketType";
CREATE TRIGGER "TicketType_seats_update" AFTER UPDATE OF quota, active, hidden, "salesStartAt", "salesEndAt"
  ON "TicketType" FOR EACH ROW
  WHEN (OLD.quota IS DISTINCT FROM NEW.quota OR OLD.active <> NEW.active OR OLD.hidden <> NEW.hidden
        OR OLD."salesStartAt" IS DISTINCT FROM NEW."salesStartAt" OR OLD."salesEndAt" IS DISTINCT FROM NEW."salesEndAt")
  EXECUTE FUNCTION guichet_seats_ticket_type_changed();
