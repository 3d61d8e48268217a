-- Registration in one round trip (issue 15): an order, its transition, its emails and their jobs are
-- written first, its tickets last (their insert is the claim: the seat triggers take the edition's
-- counter row), then the checks that need that lock; the commit follows in the same call.

-- A registration's retry (the API's Idempotency-Key) finds its order instead of placing a second one; the
-- unique index settles two attempts racing with one key.
ALTER TABLE "Order" ADD COLUMN "idempotencyKey" VARCHAR(64);
CREATE UNIQUE INDEX "Order_editionId_idempotencyKey_key" ON "Order"("editionId", "idempotencyKey");

-- pg-boss 10.4.2's insertJob (node_modules/pg-boss/src/plans.js) reduced to what queueEmailJob sends: the
-- email queue, {outboxId}, the outbox id as singleton key, every other value from the queue's row.
-- lib/email/queue-sql.test.ts compares its row with pg-boss's own and fails when an upgrade changes it.
-- Raises when the queue is missing: a job pg-boss would silently not create must fail the change instead.
CREATE FUNCTION guichet_queue_email_job(outbox uuid) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  job uuid;
BEGIN
  INSERT INTO pgboss.job (id, name, data, priority, start_after, singleton_key, singleton_on, dead_letter, expire_in,
                          keep_until, retry_limit, retry_delay, retry_backoff, policy)
  SELECT gen_random_uuid(), q.name, jsonb_build_object('outboxId', outbox), 0, now(), outbox::text, NULL,
         q.dead_letter,
         CASE WHEN q.expire_seconds IS NOT NULL THEN q.expire_seconds * interval '1s' ELSE interval '15 minutes' END,
         now() + CAST(COALESCE((q.retention_minutes * 60)::text, '14 days') AS interval),
         COALESCE(q.retry_limit, 2),
         CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(q.retry_delay, 1) ELSE COALESCE(q.retry_delay, 0) END,
         COALESCE(q.retry_backoff, false), q.policy
    FROM pgboss.queue q WHERE q.name = 'email.send'
  ON CONFLICT DO NOTHING
  RETURNING id INTO job;
  IF job IS NULL THEN
    RAISE EXCEPTION 'job queue "email.send" did not take the job for outbox %: is the queue installed?', outbox;
  END IF;
  RETURN job;
END $$;

-- Places one order (p as built by lib/orders/place-order-sql.ts). Refusals roll everything back:
-- GS001 sold out (the seat triggers), GS002 an attendee's email holds another live seat (MESSAGE
-- 'already_registered:' and the clashing positions as a JSON array), GS003 too many unpaid holds,
-- GS004 edition closed, GS005 the offer the caller read (type, price, sale window) is no longer so.
CREATE FUNCTION guichet_place_order(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
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
                       "heldByClient", "idempotencyKey", "queueOrdinal", "confirmedAt", "updatedAt")
  SELECT o.id, o.reference, o."accessToken", o."editionId", o."buyerFirstName", o."buyerLastName", o."buyerEmail",
         o."buyerCompany", o.locale, o.status, o."statusReason", o."amountCents", o.currency, o."holdExpiresAt",
         o."heldByClient", o."idempotencyKey", o."queueOrdinal", o."confirmedAt", clock_timestamp()
    FROM jsonb_populate_record(NULL::"Order", p->'order') o;
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

