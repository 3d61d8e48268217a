-- Check-in in one call (issue 15): a scan is one statement, `SELECT guichet_scan($1::jsonb)`, that checks the
-- device token, replays a known nonce, locks and judges the ticket, records the scan, admits, and answers with
-- the door's counts. The counts are O(devices): `expected` is the seat counter (EditionSeats.confirmed) and
-- `checkedIn` the sum of CheckInTally's rows, one per scanning device, so no row is shared by the devices' scans.

-- 1. The tally: tickets checked in (ACTIVE, order CONFIRMED, checkedInAt set), as a sum of rows per source.
CREATE TABLE "CheckInTally" (
  "editionId" UUID NOT NULL,
  "source" VARCHAR(200) NOT NULL,
  "checkedIn" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "CheckInTally_pkey" PRIMARY KEY ("editionId", "source")
);
ALTER TABLE "CheckInTally" ADD CONSTRAINT "CheckInTally_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A change goes to the row of the source the writer named for its transaction (a scan names its device);
-- anything else (undo, cancellation, refund, seeds) to `other`. An edition being deleted takes its rows with it.
-- The functions a scan calls are plpgsql, whose plans are kept for the session: a SQL function that Postgres
-- cannot inline is planned again at every call (0.2 ms for the group's, measured).
CREATE FUNCTION guichet_check_in_tally_add(edition uuid, delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CheckInTally" ("editionId", source, "checkedIn")
  SELECT edition, coalesce(nullif(current_setting('guichet.tally_source', true), ''), 'other'), delta
   WHERE EXISTS (SELECT 1 FROM "Edition" WHERE id = edition)
  ON CONFLICT ("editionId", source) DO UPDATE SET "checkedIn" = "CheckInTally"."checkedIn" + excluded."checkedIn";
END $$;

-- A ticket inserted, changed or deleted: whether it counted before and after, by its order's current status.
-- An order's status and its tickets' may change in one transaction in either order: each trigger judges its own
-- row against the other table as it is, so the sum stays exact whichever comes first.
CREATE FUNCTION guichet_check_in_tally_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was integer := 0;
  is_in integer := 0;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."checkedInAt" IS NOT NULL AND OLD.status = 'ACTIVE' THEN
    SELECT count(*)::integer INTO was FROM "Order" WHERE id = OLD."orderId" AND status = 'CONFIRMED';
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."checkedInAt" IS NOT NULL AND NEW.status = 'ACTIVE' THEN
    SELECT count(*)::integer INTO is_in FROM "Order" WHERE id = NEW."orderId" AND status = 'CONFIRMED';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD."editionId" IS DISTINCT FROM NEW."editionId" THEN
    IF was <> 0 THEN PERFORM guichet_check_in_tally_add(OLD."editionId", -was); END IF;
    IF is_in <> 0 THEN PERFORM guichet_check_in_tally_add(NEW."editionId", is_in); END IF;
  ELSIF is_in <> was THEN
    PERFORM guichet_check_in_tally_add(CASE WHEN TG_OP = 'DELETE' THEN OLD."editionId" ELSE NEW."editionId" END,
                                       is_in - was);
  END IF;
  RETURN NULL;
END $$;

-- An order confirmed, cancelled or refunded (or deleted) with tickets already checked in.
CREATE FUNCTION guichet_check_in_tally_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta integer := (TG_OP = 'UPDATE' AND NEW.status = 'CONFIRMED')::integer - (OLD.status = 'CONFIRMED')::integer;
  n integer;
BEGIN
  IF delta <> 0 THEN
    SELECT count(*)::integer INTO n FROM "Ticket"
     WHERE "orderId" = OLD.id AND status = 'ACTIVE' AND "checkedInAt" IS NOT NULL;
    IF n > 0 THEN PERFORM guichet_check_in_tally_add(OLD."editionId", delta * n); END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END $$;

CREATE FUNCTION guichet_check_in_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "CheckInTally";
  RETURN NULL;
END $$;

-- The door's two numbers, in O(devices): the same for a scan's answer and a scanner's snapshot.
CREATE FUNCTION guichet_check_in_counts(edition uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN jsonb_build_object(
    'checkedIn', coalesce((SELECT sum("checkedIn") FROM "CheckInTally" WHERE "editionId" = edition), 0)::integer,
    'expected', coalesce((SELECT confirmed FROM "EditionSeats" WHERE "editionId" = edition), 0));
END $$;

-- 2. The door's rules in SQL. Each is the twin of a TypeScript rule, kept equal by a parity test over every
-- combination (lib/checkin/door-sql.test.ts).

-- lib/tickets/standing.ts `ticketStanding`.
CREATE FUNCTION guichet_ticket_standing(ticket_status text, order_status text, code_version integer, shown integer)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN order_status = 'REFUNDED' OR ticket_status = 'REFUNDED' THEN 'refunded'
    WHEN ticket_status = 'CANCELLED' OR order_status = 'CANCELLED' THEN 'cancelled'
    WHEN order_status <> 'CONFIRMED' THEN 'unpaid'
    WHEN shown IS NOT NULL AND shown <> code_version THEN 'reissued'
    ELSE 'valid'
  END
$$;

-- lib/orders/holder.ts `holderName`.
CREATE FUNCTION guichet_holder_name(first_name text, last_name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN first_name IS NOT NULL AND last_name IS NOT NULL THEN first_name || ' ' || last_name END
$$;

-- lib/checkin/scan.ts `attendeeOf`: an unnamed ticket is shown under its buyer's name (`buyerLabel`).
CREATE FUNCTION guichet_door_attendee(first_name text, last_name text, company text, buyer_first_name text,
                                      buyer_last_name text, buyer_company text, type_fr text, type_en text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN guichet_holder_name(first_name, last_name) IS NOT NULL THEN
      jsonb_build_object('name', guichet_holder_name(first_name, last_name), 'company', company,
                         'ticketTypeFr', type_fr, 'ticketTypeEn', type_en)
    ELSE
      jsonb_build_object('name', buyer_first_name || ' ' || buyer_last_name
                                 || CASE WHEN buyer_company <> '' THEN ' (' || buyer_company || ')' ELSE '' END,
                         'company', NULL, 'ticketTypeFr', type_fr, 'ticketTypeEn', type_en, 'unnamed', true)
  END
$$;

-- The scan's time: the scanner's clock (milliseconds since 1970, as JavaScript reads any ISO date, year 0
-- included) brought within a day before the edition starts (or before now) and now, so year 0000 or 9999 is
-- never stored; none given: now.
CREATE FUNCTION guichet_scan_time(requested_ms bigint, starts_at timestamptz, now timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN requested_ms IS NULL THEN now ELSE
    least(greatest(timestamptz 'epoch' + requested_ms * interval '1 millisecond',
                   least(starts_at, now) - interval '1 day'), now)
  END
$$;

CREATE FUNCTION guichet_iso(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- For a ticket of a team's order: its order's live tickets, how many are in, and the others (null when alone).
-- One query over the order's own tickets, never over the edition.
CREATE FUNCTION guichet_door_group(ticket uuid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (WITH members AS (
    SELECT t.id, t.position, guichet_holder_name(t."firstName", t."lastName") AS name, tt."nameFr", tt."nameEn",
           t."checkedInAt" IS NOT NULL AS checked_in
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" JOIN "TicketType" tt ON tt.id = t."ticketTypeId"
     WHERE t."orderId" = (SELECT "orderId" FROM "Ticket" WHERE id = ticket)
       AND t.status = 'ACTIVE' AND o."editionId" = t."editionId" AND o.status = 'CONFIRMED'
  )
  SELECT CASE WHEN count(*) < 2 THEN NULL ELSE jsonb_build_object(
    'inside', count(*) FILTER (WHERE checked_in),
    'of', count(*),
    'others', coalesce(jsonb_agg(jsonb_build_object('ticketId', id, 'position', position, 'name', name,
                                                    'ticketTypeFr', "nameFr", 'ticketTypeEn', "nameEn",
                                                    'checkedIn', checked_in) ORDER BY position)
                         FILTER (WHERE id <> ticket), '[]'::jsonb))
  END
  FROM members);
END $$;

-- 3. One scan (lib/checkin/scan.ts `recordScan` builds `p` and reads the answer). Returns
-- {refused: 'scanner'} (the device token is no longer live), {replay, digest} (this nonce is known: the caller
-- compares digests) or {answer}. Of any number of scans of one ticket at once, exactly one admits it: the
-- ticket's row is locked first, then read afresh and judged, and the admission is conditional.
CREATE FUNCTION guichet_scan(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_edition uuid := (p->>'editionId')::uuid;
  v_now timestamptz := (p->>'now')::timestamptz;
  v_token uuid := (p->>'apiTokenId')::uuid;
  v_ticket uuid := (p->>'ticketId')::uuid;
  v_via uuid := (p->>'viaTicketId')::uuid;
  v_offline boolean := coalesce((p->>'offline')::boolean, false);
  v_scan uuid := gen_random_uuid();
  v_kind text := p->>'refused';
  v_at timestamptz;
  v_earlier record;
  r record;
  v_by record;
  v_standing text;
  v_attendee jsonb;
  v_answer jsonb;
  v_group jsonb;
  v_admitted integer;
BEGIN
  -- Who: a device token is checked here at every scan, so a revocation (or its creator's disablement or loss
  -- of the right) refuses the very next scan. lastUsedAt is written at most once a minute, by one scan.
  IF v_token IS NOT NULL THEN
    PERFORM 1 FROM "ApiToken" a JOIN "User" u ON u.id = a."createdById"
     WHERE a.id = v_token AND a.scope = 'CHECKIN' AND a."revokedAt" IS NULL AND u."disabledAt" IS NULL
       AND (a."editionId" IS NULL OR a."editionId" = v_edition)
       AND u.role::text IN (SELECT jsonb_array_elements_text(p->'rolesThatScan'));
    IF NOT FOUND THEN
      RETURN jsonb_build_object('refused', 'scanner');
    END IF;
    UPDATE "ApiToken" SET "lastUsedAt" = v_now
     WHERE id = (SELECT id FROM "ApiToken" WHERE id = v_token
                   AND ("lastUsedAt" IS NULL OR "lastUsedAt" < v_now - interval '1 minute') FOR UPDATE SKIP LOCKED);
  END IF;

  SELECT answer, "requestDigest" AS digest INTO v_earlier
    FROM "CheckInScan" WHERE "editionId" = v_edition AND nonce = p->>'nonce';
  IF FOUND THEN
    RETURN jsonb_build_object('replay', v_earlier.answer, 'digest', v_earlier.digest);
  END IF;

  v_at := guichet_scan_time((p->>'requestedAtMs')::bigint, (SELECT "startsAt" FROM "Edition" WHERE id = v_edition),
                            v_now);

  IF v_ticket IS NOT NULL THEN
    -- Scans of one ticket queue on its row from the start: each would otherwise hold the key-share lock its
    -- scan's foreign key takes on the ticket, then wait for the other to update it (a deadlock). Then a fresh
    -- read: a transfer, refund or cancellation committed while waiting is seen.
    PERFORM 1 FROM "Ticket" WHERE id = v_ticket AND "editionId" = v_edition FOR UPDATE;
    SELECT t.status::text AS status, t."codeVersion", t."checkedInAt", t."checkedInScanId", t."firstName",
           t."lastName", t.company, o.status::text AS order_status, o."buyerFirstName", o."buyerLastName",
           o."buyerCompany", tt."nameFr", tt."nameEn"
      INTO r
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" JOIN "TicketType" tt ON tt.id = t."ticketTypeId"
     WHERE t.id = v_ticket AND t."editionId" = v_edition
       -- Admitted with a group: a ticket of another order is unknown here, whatever list the device sent.
       AND (v_via IS NULL OR EXISTS (SELECT 1 FROM "Ticket" v
                                      WHERE v.id = v_via AND v."editionId" = v_edition AND v."orderId" = t."orderId"));
    IF NOT FOUND THEN
      v_kind := 'unknown';
    ELSE
      v_standing := guichet_ticket_standing(r.status, r.order_status, r."codeVersion", (p->>'codeVersion')::integer);
      v_kind := CASE WHEN v_standing = 'valid' THEN 'admissible' ELSE 'cancelled' END;
      v_attendee := guichet_door_attendee(r."firstName", r."lastName", r.company, r."buyerFirstName",
                                          r."buyerLastName", r."buyerCompany", r."nameFr", r."nameEn");
    END IF;
  END IF;

  INSERT INTO "CheckInScan" (id, nonce, "requestDigest", "editionId", "ticketId", result, "deviceId", "userId",
                             "apiTokenId", "scannedAt", "receivedAt", offline, answer, "viaTicketId")
  VALUES (v_scan, p->>'nonce', p->>'digest', v_edition,
          CASE WHEN v_kind IN ('cancelled', 'admissible') THEN v_ticket END, 'UNKNOWN', p->>'deviceId',
          (p->>'userId')::uuid, v_token, v_at, v_now, v_offline, '{}'::jsonb, v_via)
  ON CONFLICT ("editionId", nonce) DO NOTHING;
  IF NOT FOUND THEN
    -- The same nonce arrived twice at once: the other request's answer stands (it has committed by now).
    SELECT answer, "requestDigest" AS digest INTO v_earlier
      FROM "CheckInScan" WHERE "editionId" = v_edition AND nonce = p->>'nonce';
    RETURN jsonb_build_object('replay', v_earlier.answer, 'digest', v_earlier.digest);
  END IF;

  IF v_kind = 'wrong_edition' THEN
    -- The code is signed by us, so the edition it names is one we issued it for (or one since deleted: null).
    v_answer := jsonb_build_object('result', 'wrong_edition', 'edition',
      (SELECT jsonb_build_object('nameFr', "nameFr", 'nameEn', "nameEn") FROM "Edition"
        WHERE id = (p->>'codeEditionId')::uuid));
  ELSIF v_kind IN ('forged', 'unknown') THEN
    v_answer := jsonb_build_object('result', v_kind);
  ELSIF v_kind = 'cancelled' THEN
    v_answer := jsonb_build_object('result', 'cancelled', 'ticketId', v_ticket, 'attendee', v_attendee,
                                   'reason', v_standing);
  ELSE
    -- The device's own tally row takes the admission (Ticket's trigger reads the source).
    PERFORM set_config('guichet.tally_source', p->>'tallySource', true);
    UPDATE "Ticket" SET "checkedInAt" = v_at, "checkedInScanId" = v_scan, "updatedAt" = v_now
     WHERE id = v_ticket AND "checkedInAt" IS NULL AND status = 'ACTIVE';
    GET DIAGNOSTICS v_admitted = ROW_COUNT;
    PERFORM set_config('guichet.tally_source', '', true);
    IF v_admitted = 1 THEN
      v_answer := jsonb_build_object('result', 'admitted', 'ticketId', v_ticket, 'attendee', v_attendee,
                                     'checkedInAt', guichet_iso(v_at));
    ELSE
      SELECT s."deviceId", u.email INTO v_by
        FROM "CheckInScan" s LEFT JOIN "User" u ON u.id = s."userId" WHERE s.id = r."checkedInScanId";
      v_answer := jsonb_build_object('result', 'already_checked_in', 'ticketId', v_ticket, 'attendee', v_attendee,
                                     'checkedInAt', guichet_iso(coalesce(r."checkedInAt", v_at)),
                                     'by', jsonb_build_object('deviceId', coalesce(v_by."deviceId", '?'),
                                                              'user', v_by.email));
    END IF;
    v_group := guichet_door_group(v_ticket);
    IF v_group IS NOT NULL THEN
      v_answer := v_answer || jsonb_build_object('group', v_group);
    END IF;
  END IF;
  v_answer := v_answer || jsonb_build_object('counts', guichet_check_in_counts(v_edition));

  UPDATE "CheckInScan" SET result = upper(v_answer->>'result')::"CheckInResult", answer = v_answer,
                           "offlineConflict" = v_offline AND v_answer->>'result' = 'already_checked_in'
   WHERE id = v_scan;
  RETURN jsonb_build_object('answer', v_answer);
END $$;

-- 4. Backfill: today's exact count, as one row per edition.
INSERT INTO "CheckInTally" ("editionId", source, "checkedIn")
SELECT t."editionId", 'backfill', count(*)::integer
  FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
 WHERE t."checkedInAt" IS NOT NULL AND t.status = 'ACTIVE' AND o.status = 'CONFIRMED'
 GROUP BY t."editionId";

-- 5. Triggers: every writer (app, seeds, tests, benches) goes through them.
CREATE TRIGGER "Ticket_check_in_tally_insert" AFTER INSERT ON "Ticket"
  FOR EACH ROW WHEN (NEW."checkedInAt" IS NOT NULL) EXECUTE FUNCTION guichet_check_in_tally_ticket();
CREATE TRIGGER "Ticket_check_in_tally_update" AFTER UPDATE OF "checkedInAt", status, "orderId", "editionId" ON "Ticket"
  FOR EACH ROW WHEN ((OLD."checkedInAt" IS NULL) <> (NEW."checkedInAt" IS NULL)
                     OR (NEW."checkedInAt" IS NOT NULL AND (OLD.status IS DISTINCT FROM NEW.status
                         OR OLD."orderId" IS DISTINCT FROM NEW."orderId"
                         OR OLD."editionId" IS DISTINCT FROM NEW."editionId")))
  EXECUTE FUNCTION guichet_check_in_tally_ticket();
CREATE TRIGGER "Ticket_check_in_tally_delete" AFTER DELETE ON "Ticket"
  FOR EACH ROW WHEN (OLD."checkedInAt" IS NOT NULL) EXECUTE FUNCTION guichet_check_in_tally_ticket();
CREATE TRIGGER "Order_check_in_tally_status" AFTER UPDATE OF status ON "Order"
  FOR EACH ROW WHEN ((OLD.status = 'CONFIRMED') <> (NEW.status = 'CONFIRMED'))
  EXECUTE FUNCTION guichet_check_in_tally_order();
CREATE TRIGGER "Order_check_in_tally_delete" BEFORE DELETE ON "Order"
  FOR EACH ROW WHEN (OLD.status = 'CONFIRMED') EXECUTE FUNCTION guichet_check_in_tally_order();
CREATE TRIGGER "Ticket_check_in_tally_truncate" AFTER TRUNCATE ON "Ticket"
  FOR EACH STATEMENT EXECUTE FUNCTION guichet_check_in_tally_truncated();
