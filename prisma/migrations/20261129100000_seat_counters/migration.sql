-- Seat counters (issue 15): the seats an edition and each ticket type have given, as two narrow rows
-- kept exact by triggers, so a claim is one conditional UPDATE of a row instead of a count of every
-- ticket under a lock. A ticket counts while it is ACTIVE and its order PENDING (held) or CONFIRMED:
-- a lapsed hold still counts until released (marked EXPIRED), by the hold sweep, or by a claim that
-- finds the edition full. Readers subtract the lapsed holds (lib/capacity/seats.ts, getSeatUsage).

-- 1. Tables. Capacity, quota and openness are copied into the counter rows: under READ COMMITTED a
-- conditional UPDATE that waited for the row re-checks the newest version of that row only, so a
-- capacity lowered meanwhile must live in it.
CREATE TABLE "EditionSeats" (
  "editionId" UUID NOT NULL,
  "capacity" INTEGER NOT NULL,
  "open" BOOLEAN NOT NULL,
  "confirmed" INTEGER NOT NULL DEFAULT 0,
  "held" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "EditionSeats_pkey" PRIMARY KEY ("editionId")
);
ALTER TABLE "EditionSeats" ADD CONSTRAINT "EditionSeats_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "TicketTypeSeats" (
  "ticketTypeId" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "quota" INTEGER,
  "confirmed" INTEGER NOT NULL DEFAULT 0,
  "held" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "TicketTypeSeats_pkey" PRIMARY KEY ("ticketTypeId")
);
CREATE INDEX "TicketTypeSeats_editionId_idx" ON "TicketTypeSeats"("editionId");
ALTER TABLE "TicketTypeSeats" ADD CONSTRAINT "TicketTypeSeats_ticketTypeId_fkey" FOREIGN KEY ("ticketTypeId")
  REFERENCES "TicketType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The count of a ticket's seat goes through its order (the review found it seq-scanning every
-- edition's orders): these serve the exact count (consistency check) and the sweep's "which editions".
CREATE INDEX "Ticket_editionId_orderId_active" ON "Ticket"("editionId", "orderId") INCLUDE ("ticketTypeId")
  WHERE status = 'ACTIVE';
CREATE INDEX "Order_pending_hold" ON "Order"("holdExpiresAt", "editionId") WHERE status = 'PENDING';

-- 2. Functions.

-- Releases an edition's lapsed holds, oldest first: their orders become EXPIRED (hold_expired, with
-- their transition), which frees their seats through the order trigger below. SKIP LOCKED: an order
-- someone holds (a payment being confirmed) is theirs to decide, and nobody waits on it while
-- holding the counter row. `spare` are orders never to release (the claim's own).
CREATE FUNCTION guichet_release_lapsed_holds(edition uuid, max_orders integer, release_at timestamptz DEFAULT NULL,
                                             spare uuid[] DEFAULT '{}')
RETURNS TABLE ("orderId" uuid, "paymentReference" varchar) LANGUAGE sql AS $$
  WITH lapsed AS (
    SELECT id FROM "Order"
     WHERE "editionId" = edition AND status = 'PENDING' AND "holdExpiresAt" <= coalesce(release_at, clock_timestamp())
       AND id <> ALL (spare)
     ORDER BY "holdExpiresAt" LIMIT max_orders FOR UPDATE SKIP LOCKED
  ), released AS (
    UPDATE "Order" o SET status = 'EXPIRED', "statusReason" = 'hold_expired', "updatedAt" = clock_timestamp()
      FROM lapsed WHERE o.id = lapsed.id AND o.status = 'PENDING'
    RETURNING o.id, o."paymentReference"
  ), logged AS (
    INSERT INTO "OrderTransition" (id, "orderId", "fromStatus", "toStatus", reason, "createdAt")
    SELECT gen_random_uuid(), id, 'PENDING', 'EXPIRED', 'hold_expired', coalesce(release_at, clock_timestamp())
      FROM released
  )
  SELECT id, "paymentReference" FROM released
$$;

-- Every change of the counters comes here. `types` are sorted, with their deltas at the same index;
-- the edition's delta is their sum. Lock order, the same for every writer: the edition's row first,
-- then the types' rows in id order (all under the edition row, so never in contention out of order).
-- An increment is conditional (within capacity, within quota); when it does not fit, the edition's
-- lapsed holds are released and it is tried once more; then GS001 (sold_out) rolls the change back.
CREATE FUNCTION guichet_seats_apply(edition uuid, types uuid[], d_confirmed integer[], d_held integer[],
                                    spare uuid[] DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  dc integer := 0;
  dh integer := 0;
  i integer;
  released boolean := false;
BEGIN
  FOR i IN 1 .. coalesce(array_length(types, 1), 0) LOOP
    dc := dc + d_confirmed[i];
    dh := dh + d_held[i];
  END LOOP;
  IF dc + dh > 0 THEN
    UPDATE "EditionSeats" SET confirmed = confirmed + dc, held = held + dh
     WHERE "editionId" = edition AND confirmed + held + dc + dh <= capacity;
    IF NOT FOUND THEN
      PERFORM guichet_release_lapsed_holds(edition, 1000, NULL, spare);
      released := true;
      UPDATE "EditionSeats" SET confirmed = confirmed + dc, held = held + dh
       WHERE "editionId" = edition AND confirmed + held + dc + dh <= capacity;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'GS001', MESSAGE = 'sold_out', DETAIL = edition::text;
      END IF;
    END IF;
  ELSE
    UPDATE "EditionSeats" SET confirmed = confirmed + dc, held = held + dh WHERE "editionId" = edition;
  END IF;
  FOR i IN 1 .. coalesce(array_length(types, 1), 0) LOOP
    CONTINUE WHEN d_confirmed[i] = 0 AND d_held[i] = 0;
    IF d_confirmed[i] + d_held[i] > 0 THEN
      UPDATE "TicketTypeSeats" SET confirmed = confirmed + d_confirmed[i], held = held + d_held[i]
       WHERE "ticketTypeId" = types[i] AND (quota IS NULL OR confirmed + held + d_confirmed[i] + d_held[i] <= quota);
      IF NOT FOUND AND NOT released THEN
        PERFORM guichet_release_lapsed_holds(edition, 1000, NULL, spare);
        released := true;
        UPDATE "TicketTypeSeats" SET confirmed = confirmed + d_confirmed[i], held = held + d_held[i]
         WHERE "ticketTypeId" = types[i] AND (quota IS NULL OR confirmed + held + d_confirmed[i] + d_held[i] <= quota);
      END IF;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'GS001', MESSAGE = 'sold_out', DETAIL = edition::text;
      END IF;
    ELSE
      UPDATE "TicketTypeSeats" SET confirmed = confirmed + d_confirmed[i], held = held + d_held[i]
       WHERE "ticketTypeId" = types[i];
    END IF;
  END LOOP;
END $$;

-- Tickets inserted (one statement may hold many, of several orders): this is the claim.
CREATE FUNCTION guichet_seats_tickets_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT x.edition, array_agg(x.type ORDER BY x.type) AS types, array_agg(x.c ORDER BY x.type) AS dc,
           array_agg(x.h ORDER BY x.type) AS dh,
           (SELECT array_agg(DISTINCT a."orderId") FROM added a WHERE a."editionId" = x.edition) AS orders
      FROM (SELECT a."editionId" AS edition, a."ticketTypeId" AS type,
                   (count(*) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS c,
                   (count(*) FILTER (WHERE o.status = 'PENDING'))::integer AS h
              FROM added a JOIN "Order" o ON o.id = a."orderId"
             WHERE a.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING')
             GROUP BY 1, 2) x
     GROUP BY x.edition ORDER BY x.edition
  LOOP
    PERFORM guichet_seats_apply(r.edition, r.types, r.dc, r.dh, r.orders);
  END LOOP;
  RETURN NULL;
END $$;

-- A ticket voided (or moved to another type, order or edition: no path does so today): its old place
-- gives its seat back, its new place takes one, by its order's current status. A ticket's status
-- only changes while its order's row is locked (lib/orders/transitions.ts), so that status is stable.
CREATE FUNCTION guichet_seats_ticket_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT v.edition, array_agg(v.type ORDER BY v.type) AS types, array_agg(v.c ORDER BY v.type) AS dc,
           array_agg(v.h ORDER BY v.type) AS dh
      FROM (SELECT s.edition, s.type, sum(s.c)::integer AS c, sum(s.h)::integer AS h
              FROM (SELECT OLD."editionId" AS edition, OLD."ticketTypeId" AS type, -(o.status = 'CONFIRMED')::integer AS c,
                           -(o.status = 'PENDING')::integer AS h
                      FROM "Order" o WHERE o.id = OLD."orderId" AND OLD.status = 'ACTIVE'
                    UNION ALL
                    SELECT NEW."editionId", NEW."ticketTypeId", (o.status = 'CONFIRMED')::integer,
                           (o.status = 'PENDING')::integer
                      FROM "Order" o WHERE o.id = NEW."orderId" AND NEW.status = 'ACTIVE') s
             GROUP BY 1, 2) v
     WHERE v.c <> 0 OR v.h <> 0
     GROUP BY v.edition ORDER BY v.edition
  LOOP
    PERFORM guichet_seats_apply(r.edition, r.types, r.dc, r.dh, ARRAY[NEW."orderId"]);
  END LOOP;
  RETURN NULL;
END $$;

-- A ticket deleted on its own (tests, tools; the app deletes none). When its order is being deleted
-- too, the order's trigger has already given its seats back and the order is no longer found here.
CREATE FUNCTION guichet_seats_ticket_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o_status "OrderStatus";
BEGIN
  SELECT status INTO o_status FROM "Order" WHERE id = OLD."orderId";
  IF OLD.status = 'ACTIVE' AND o_status IN ('CONFIRMED', 'PENDING') THEN
    PERFORM guichet_seats_apply(OLD."editionId", ARRAY[OLD."ticketTypeId"],
                                ARRAY[-(o_status = 'CONFIRMED')::integer], ARRAY[-(o_status = 'PENDING')::integer]);
  END IF;
  RETURN NULL;
END $$;

-- An order changes status (payment, expiry, cancellation, refund) or is deleted: its ACTIVE tickets
-- move from the class of the old status to the class of the new one (held, confirmed or none).
CREATE FUNCTION guichet_seats_order_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_c integer := (OLD.status = 'CONFIRMED')::integer;
  was_h integer := (OLD.status = 'PENDING')::integer;
  now_c integer := 0;
  now_h integer := 0;
  types uuid[];
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
  SELECT array_agg(x.type ORDER BY x.type), array_agg(x.n * (now_c - was_c) ORDER BY x.type),
         array_agg(x.n * (now_h - was_h) ORDER BY x.type)
    INTO types, dc, dh
    FROM (SELECT "ticketTypeId" AS type, count(*)::integer AS n FROM "Ticket"
           WHERE "orderId" = OLD.id AND status = 'ACTIVE' GROUP BY 1) x;
  IF types IS NOT NULL THEN
    PERFORM guichet_seats_apply(OLD."editionId", types, dc, dh, ARRAY[OLD.id]);
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END $$;

-- TRUNCATE (benches start afresh with TRUNCATE "Order" CASCADE): no ticket is left, nothing counts.
CREATE FUNCTION guichet_seats_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "EditionSeats" SET confirmed = 0, held = 0 WHERE confirmed <> 0 OR held <> 0;
  UPDATE "TicketTypeSeats" SET confirmed = 0, held = 0 WHERE confirmed <> 0 OR held <> 0;
  RETURN NULL;
END $$;

-- A new edition gets its counter row; a capacity edit or an opening/closing is copied into it. A
-- capacity below what the row counts first releases lapsed holds, so only live seats can make the
-- CHECK refuse it (lib/editions/manage.ts refuses that case first, under the same row lock).
CREATE FUNCTION guichet_seats_edition_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "EditionSeats" ("editionId", capacity, open) VALUES (NEW.id, NEW.capacity, NEW.status = 'OPEN');
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM "EditionSeats" WHERE "editionId" = NEW.id AND confirmed + held > NEW.capacity) THEN
    PERFORM guichet_release_lapsed_holds(NEW.id, 2147483647);
  END IF;
  UPDATE "EditionSeats" SET capacity = NEW.capacity, open = NEW.status = 'OPEN' WHERE "editionId" = NEW.id;
  RETURN NULL;
END $$;

-- The same for a ticket type and its quota; the edition's row is locked first, as by every writer.
CREATE FUNCTION guichet_seats_ticket_type_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "TicketTypeSeats" ("ticketTypeId", "editionId", quota) VALUES (NEW.id, NEW."editionId", NEW.quota);
    RETURN NULL;
  END IF;
  PERFORM 1 FROM "EditionSeats" WHERE "editionId" = NEW."editionId" FOR NO KEY UPDATE;
  IF EXISTS (SELECT 1 FROM "TicketTypeSeats" WHERE "ticketTypeId" = NEW.id AND confirmed + held > NEW.quota) THEN
    PERFORM guichet_release_lapsed_holds(NEW."editionId", 2147483647);
  END IF;
  UPDATE "TicketTypeSeats" SET quota = NEW.quota WHERE "ticketTypeId" = NEW.id;
  RETURN NULL;
END $$;

-- Rewrites an edition's counters from the exact count, under its row lock (the back office's
-- "Recount", should a writer ever have bypassed the triggers). Returns the seats it was off by.
CREATE FUNCTION guichet_recount_seats(edition uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  off integer := 0;
  r record;
BEGIN
  PERFORM 1 FROM "EditionSeats" WHERE "editionId" = edition FOR NO KEY UPDATE;
  FOR r IN
    SELECT s."ticketTypeId" AS type, x.c - s.confirmed AS dc, x.h - s.held AS dh
      FROM "TicketTypeSeats" s
      JOIN (SELECT tt.id AS type,
                   (count(t.id) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS c,
                   (count(t.id) FILTER (WHERE o.status = 'PENDING'))::integer AS h
              FROM "TicketType" tt
              LEFT JOIN "Ticket" t ON t."ticketTypeId" = tt.id AND t.status = 'ACTIVE'
              LEFT JOIN "Order" o ON o.id = t."orderId" AND o.status IN ('CONFIRMED', 'PENDING')
             WHERE tt."editionId" = edition GROUP BY tt.id) x ON x.type = s."ticketTypeId"
     WHERE x.c <> s.confirmed OR x.h <> s.held
    UNION ALL
    SELECT NULL, x.c - s.confirmed, x.h - s.held
      FROM "EditionSeats" s,
           (SELECT (count(*) FILTER (WHERE o.status = 'CONFIRMED'))::integer AS c,
                   (count(*) FILTER (WHERE o.status = 'PENDING'))::integer AS h
              FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
             WHERE t."editionId" = edition AND t.status = 'ACTIVE' AND o.status IN ('CONFIRMED', 'PENDING')) x
     WHERE s."editionId" = edition AND (x.c <> s.confirmed OR x.h <> s.held)
  LOOP
    IF r.type IS NULL THEN
      UPDATE "EditionSeats" SET confirmed = confirmed + r.dc, held = held + r.dh WHERE "editionId" = edition;
    ELSE
      UPDATE "TicketTypeSeats" SET confirmed = confirmed + r.dc, held = held + r.dh WHERE "ticketTypeId" = r.type;
    END IF;
    off := off + abs(r.dc) + abs(r.dh);
  END LOOP;
  RETURN off;
END $$;

-- 3. Backfill, with writers held off for its few statements (reads go on).
LOCK TABLE "Edition", "TicketType", "Order", "Ticket" IN SHARE ROW EXCLUSIVE MODE;

-- Lapsed holds counted for nothing before; from now on they would count until released: release them
-- as the sweep does. Their checkout sessions have ended already (a hold outlives its session).
WITH released AS (
  UPDATE "Order" SET status = 'EXPIRED', "statusReason" = 'hold_expired', "updatedAt" = clock_timestamp()
   WHERE status = 'PENDING' AND "holdExpiresAt" <= clock_timestamp()
  RETURNING id
)
INSERT INTO "OrderTransition" (id, "orderId", "fromStatus", "toStatus", reason, "createdAt")
SELECT gen_random_uuid(), id, 'PENDING', 'EXPIRED', 'hold_expired', clock_timestamp() FROM released;

INSERT INTO "EditionSeats" ("editionId", capacity, open, confirmed, held)
SELECT e.id, e.capacity, e.status = 'OPEN',
       (count(t.id) FILTER (WHERE o.status = 'CONFIRMED'))::integer,
       (count(t.id) FILTER (WHERE o.status = 'PENDING'))::integer
  FROM "Edition" e
  LEFT JOIN "Ticket" t ON t."editionId" = e.id AND t.status = 'ACTIVE'
  LEFT JOIN "Order" o ON o.id = t."orderId" AND o.status IN ('CONFIRMED', 'PENDING')
 GROUP BY e.id;

INSERT INTO "TicketTypeSeats" ("ticketTypeId", "editionId", quota, confirmed, held)
SELECT tt.id, tt."editionId", tt.quota,
       (count(t.id) FILTER (WHERE o.status = 'CONFIRMED'))::integer,
       (count(t.id) FILTER (WHERE o.status = 'PENDING'))::integer
  FROM "TicketType" tt
  LEFT JOIN "Ticket" t ON t."ticketTypeId" = tt.id AND t.status = 'ACTIVE'
  LEFT JOIN "Order" o ON o.id = t."orderId" AND o.status IN ('CONFIRMED', 'PENDING')
 GROUP BY tt.id;

-- 4. Backstops: nothing can be oversold even by a writer that got the triggers wrong. Data already
-- over capacity makes the migration fail here, loudly.
ALTER TABLE "EditionSeats" ADD CONSTRAINT "EditionSeats_counts" CHECK (confirmed >= 0 AND held >= 0),
  ADD CONSTRAINT "EditionSeats_within_capacity" CHECK (confirmed + held <= capacity);
ALTER TABLE "TicketTypeSeats" ADD CONSTRAINT "TicketTypeSeats_counts" CHECK (confirmed >= 0 AND held >= 0),
  ADD CONSTRAINT "TicketTypeSeats_within_quota" CHECK (quota IS NULL OR confirmed + held <= quota);

-- 5. Triggers: every writer (app, seeds, tests, benches) goes through them.
CREATE TRIGGER "Ticket_seats_insert" AFTER INSERT ON "Ticket" REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_seats_tickets_added();
CREATE TRIGGER "Ticket_seats_update" AFTER UPDATE OF status, "ticketTypeId", "orderId", "editionId" ON "Ticket"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD."ticketTypeId" IS DISTINCT FROM NEW."ticketTypeId"
                     OR OLD."orderId" IS DISTINCT FROM NEW."orderId" OR OLD."editionId" IS DISTINCT FROM NEW."editionId")
  EXECUTE FUNCTION guichet_seats_ticket_changed();
CREATE TRIGGER "Ticket_seats_delete" AFTER DELETE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION guichet_seats_ticket_deleted();
CREATE TRIGGER "Order_seats_status" AFTER UPDATE OF status ON "Order"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION guichet_seats_order_changed();
CREATE TRIGGER "Order_seats_delete" BEFORE DELETE ON "Order"
  FOR EACH ROW EXECUTE FUNCTION guichet_seats_order_changed();
CREATE TRIGGER "Order_seats_truncate" AFTER TRUNCATE ON "Order"
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_seats_truncated();
CREATE TRIGGER "Ticket_seats_truncate" AFTER TRUNCATE ON "Ticket"
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_seats_truncated();
CREATE TRIGGER "Edition_seats_insert" AFTER INSERT ON "Edition"
  FOR EACH ROW EXECUTE FUNCTION guichet_seats_edition_changed();
CREATE TRIGGER "Edition_seats_update" AFTER UPDATE OF capacity, status ON "Edition"
  FOR EACH ROW WHEN (OLD.capacity IS DISTINCT FROM NEW.capacity OR (OLD.status = 'OPEN') <> (NEW.status = 'OPEN'))
  EXECUTE FUNCTION guichet_seats_edition_changed();
CREATE TRIGGER "TicketType_seats_insert" AFTER INSERT ON "TicketType"
  FOR EACH ROW EXECUTE FUNCTION guichet_seats_ticket_type_changed();
CREATE TRIGGER "TicketType_seats_update" AFTER UPDATE OF quota ON "TicketType"
  FOR EACH ROW WHEN (OLD.quota IS DISTINCT FROM NEW.quota) EXECUTE FUNCTION guichet_seats_ticket_type_changed();
