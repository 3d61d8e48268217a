-- Talking to attendees (issue 19, docs/attendee-messages.md): messages whose recipients are materialised in SQL,
-- editable templates, opt-outs, certificate settings, the practical-information settings; every email knows its
-- edition; a second job queue, `email.bulk`, takes a message's emails in set-based batches.

-- 1. Types and tables.
CREATE TYPE "MessageKind" AS ENUM ('CUSTOM', 'PRACTICAL_INFO', 'CERTIFICATE');
CREATE TYPE "MessageAudience" AS ENUM ('ATTENDEES', 'BUYERS', 'WAITING_LIST');
CREATE TYPE "MessageStatus" AS ENUM ('DRAFT', 'SCHEDULED', 'QUEUEING', 'QUEUED', 'CANCELLED');
CREATE TYPE "RecipientSkip" AS ENUM ('OPTED_OUT');

CREATE TABLE "Message" (
  "id" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "kind" "MessageKind" NOT NULL DEFAULT 'CUSTOM',
  "audience" "MessageAudience" NOT NULL,
  "filter" JSONB NOT NULL DEFAULT '{}',
  "essential" BOOLEAN NOT NULL DEFAULT false,
  "subjectFr" VARCHAR(200) NOT NULL DEFAULT '',
  "subjectEn" VARCHAR(200) NOT NULL DEFAULT '',
  "bodyFr" TEXT NOT NULL DEFAULT '',
  "bodyEn" TEXT NOT NULL DEFAULT '',
  "status" "MessageStatus" NOT NULL DEFAULT 'DRAFT',
  "sendAt" TIMESTAMPTZ(3),
  "dispatchedAt" TIMESTAMPTZ(3),
  "queuedAt" TIMESTAMPTZ(3),
  "cancelledAt" TIMESTAMPTZ(3),
  "createdById" UUID,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "Message_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Message_scheduled_has_time" CHECK ("status" <> 'SCHEDULED' OR "sendAt" IS NOT NULL),
  CONSTRAINT "Message_body_length" CHECK (char_length("bodyFr") <= 20000 AND char_length("bodyEn") <= 20000),
  -- Reminders and certificates are about attending: an opt-out never stops them.
  CONSTRAINT "Message_standing_essential" CHECK ("kind" = 'CUSTOM' OR "essential")
);
CREATE INDEX "Message_status_sendAt_idx" ON "Message"("status", "sendAt");
CREATE INDEX "Message_editionId_createdAt_idx" ON "Message"("editionId", "createdAt");
-- One standing message of each kind per edition: "once per attendee" is then the recipients' unique index.
CREATE UNIQUE INDEX "Message_standing_key" ON "Message"("editionId", "kind") WHERE "kind" <> 'CUSTOM';
ALTER TABLE "Message" ADD CONSTRAINT "Message_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "Edition"("id")
  ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Message" ADD CONSTRAINT "Message_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id")
  ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "MessageRecipient" (
  "id" UUID NOT NULL,
  "messageId" UUID NOT NULL,
  "emailKey" VARCHAR(254) NOT NULL,
  "toAddress" VARCHAR(254) NOT NULL,
  "firstName" VARCHAR(100) NOT NULL,
  "locale" "Locale" NOT NULL,
  "ticketId" UUID,
  "orderId" UUID,
  "entryId" UUID,
  "skipped" "RecipientSkip",
  "outboxId" UUID,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "MessageRecipient_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "MessageRecipient_messageId_emailKey_key" ON "MessageRecipient"("messageId", "emailKey");
CREATE UNIQUE INDEX "MessageRecipient_outboxId_key" ON "MessageRecipient"("outboxId");
-- What a dispatch batch reads: the recipients still without an email, in id order.
CREATE INDEX "MessageRecipient_unqueued" ON "MessageRecipient"("messageId", "id")
  WHERE "outboxId" IS NULL AND "skipped" IS NULL;
ALTER TABLE "MessageRecipient" ADD CONSTRAINT "MessageRecipient_messageId_fkey" FOREIGN KEY ("messageId")
  REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MessageRecipient" ADD CONSTRAINT "MessageRecipient_outboxId_fkey" FOREIGN KEY ("outboxId")
  REFERENCES "EmailOutbox"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "EmailTemplate" (
  "id" UUID NOT NULL,
  "editionId" UUID NOT NULL,
  "kind" VARCHAR(64) NOT NULL,
  "locale" "Locale" NOT NULL,
  "subject" VARCHAR(200) NOT NULL,
  "body" TEXT NOT NULL,
  "updatedById" UUID,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "EmailTemplate_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "EmailTemplate_body_length" CHECK (char_length("body") <= 10000)
);
CREATE UNIQUE INDEX "EmailTemplate_editionId_kind_locale_key" ON "EmailTemplate"("editionId", "kind", "locale");
ALTER TABLE "EmailTemplate" ADD CONSTRAINT "EmailTemplate_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The address itself is never stored: the opt-out link carries its hash.
CREATE TABLE "EmailOptOut" (
  "emailHash" CHAR(64) NOT NULL,
  "via" VARCHAR(16) NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "EmailOptOut_pkey" PRIMARY KEY ("emailHash"),
  CONSTRAINT "EmailOptOut_hash" CHECK ("emailHash" ~ '^[0-9a-f]{64}$')
);

CREATE TABLE "CertificateSettings" (
  "editionId" UUID NOT NULL,
  "enabled" BOOLEAN NOT NULL DEFAULT false,
  "minutes" INTEGER,
  "signatoryName" VARCHAR(200),
  "signatoryTitle" VARCHAR(200),
  "signature" BYTEA,
  "signatureType" VARCHAR(16),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "CertificateSettings_pkey" PRIMARY KEY ("editionId"),
  CONSTRAINT "CertificateSettings_minutes" CHECK ("minutes" BETWEEN 15 AND 10080),
  CONSTRAINT "CertificateSettings_complete" CHECK (
    NOT "enabled" OR ("minutes" IS NOT NULL AND "signatoryName" IS NOT NULL AND "signature" IS NOT NULL)),
  CONSTRAINT "CertificateSettings_signature" CHECK (
    ("signature" IS NULL) = ("signatureType" IS NULL) AND coalesce(octet_length("signature"), 0) <= 204800)
);
ALTER TABLE "CertificateSettings" ADD CONSTRAINT "CertificateSettings_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 2. Columns.

-- The attendee's own language for their emails; null: their order's (every ticket until now).
ALTER TABLE "Ticket" ADD COLUMN "locale" "Locale";

-- The practical information: off for every existing edition until its organisers set the days.
ALTER TABLE "Edition" ADD COLUMN "practicalInfoDays" INTEGER,
  ADD COLUMN "practicalInfoTime" CHAR(5) NOT NULL DEFAULT '10:00',
  ADD COLUMN "scheduleUrl" VARCHAR(500),
  ADD COLUMN "mapUrl" VARCHAR(500),
  ADD CONSTRAINT "Edition_practicalInfoDays" CHECK ("practicalInfoDays" BETWEEN 1 AND 30),
  ADD CONSTRAINT "Edition_practicalInfoTime" CHECK ("practicalInfoTime" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD CONSTRAINT "Edition_links_https" CHECK ("scheduleUrl" ~ '^https://' AND "mapUrl" ~ '^https://');

-- 3. Every email knows its edition: the Emails page lists them by it, orderless ones (the waiting list's) included.
ALTER TABLE "EmailOutbox" ADD COLUMN "editionId" UUID;
ALTER TABLE "EmailOutbox" ADD CONSTRAINT "EmailOutbox_editionId_fkey" FOREIGN KEY ("editionId")
  REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An email's edition from what it is about: its order, else the waiting-list entry or the voucher its payload names.
-- Null for the emails about no edition (a sign-in link, a returning attendee's prefill).
CREATE FUNCTION guichet_email_edition(order_id uuid, payload jsonb) RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT o."editionId" FROM "Order" o WHERE o.id = order_id),
    (SELECT w."editionId" FROM "WaitingListEntry" w
      WHERE w.id = CASE WHEN payload->>'entryId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                        THEN (payload->>'entryId')::uuid END),
    (SELECT v."editionId" FROM "Voucher" v
      WHERE v.id = CASE WHEN payload->>'voucherId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                        THEN (payload->>'voucherId')::uuid END))
$$;

-- Every writer (enqueueEmail, guichet_place_order, guichet_waitlist_email) gets it without a change; the bulk
-- batches give it themselves.
CREATE FUNCTION guichet_email_outbox_edition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."editionId" IS NULL THEN
    NEW."editionId" := guichet_email_edition(NEW."orderId", NEW.payload);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "EmailOutbox_edition" BEFORE INSERT ON "EmailOutbox"
  FOR EACH ROW EXECUTE FUNCTION guichet_email_outbox_edition();

UPDATE "EmailOutbox" SET "editionId" = guichet_email_edition("orderId", payload);
CREATE INDEX "EmailOutbox_editionId_status_queuedAt_idx" ON "EmailOutbox"("editionId", "status", "queuedAt");

-- 4. Functions.

-- pg-boss 10.4.2's insertJob (node_modules/pg-boss/src/plans.js) for the `email.bulk` queue, one statement for a
-- whole batch: {outboxId} and the outbox id as singleton key, every other value from the queue's row, as
-- guichet_queue_email_job does for `email.send`. lib/email/queue-sql.test.ts compares its rows with pg-boss's own
-- send. Raises when the queue is missing (pg-boss would silently create nothing); 0 for an empty or null array.
CREATE FUNCTION guichet_queue_bulk_email_jobs(outbox uuid[]) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  queued integer;
BEGIN
  IF coalesce(cardinality(outbox), 0) = 0 THEN
    RETURN 0;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pgboss.queue q WHERE q.name = 'email.bulk') THEN
    RAISE EXCEPTION 'job queue "email.bulk" is missing: % emails could not be queued; is the queue installed?',
      cardinality(outbox);
  END IF;
  INSERT INTO pgboss.job (id, name, data, priority, start_after, singleton_key, singleton_on, dead_letter, expire_in,
                          keep_until, retry_limit, retry_delay, retry_backoff, policy)
  SELECT gen_random_uuid(), q.name, jsonb_build_object('outboxId', x.id), 0, now(), x.id::text, NULL,
         q.dead_letter,
         CASE WHEN q.expire_seconds IS NOT NULL THEN q.expire_seconds * interval '1s' ELSE interval '15 minutes' END,
         now() + CAST(COALESCE((q.retention_minutes * 60)::text, '14 days') AS interval),
         COALESCE(q.retry_limit, 2),
         CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(q.retry_delay, 1) ELSE COALESCE(q.retry_delay, 0) END,
         COALESCE(q.retry_backoff, false), q.policy
    FROM unnest(outbox) AS x(id) CROSS JOIN pgboss.queue q
   WHERE q.name = 'email.bulk' AND x.id IS NOT NULL
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS queued = ROW_COUNT;
  RETURN queued;
END $$;

-- When an edition's practical information is due: practicalInfoDays before the start's day, at practicalInfoTime,
-- both in the edition's zone (Postgres applies the offset of that day, across a DST change too); null when off.
-- lib/messages keeps a TypeScript twin for the settings page, held equal by a test.
CREATE FUNCTION guichet_practical_info_due(e "Edition") RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT (((e."startsAt" AT TIME ZONE e."timeZone")::date - e."practicalInfoDays") + e."practicalInfoTime"::time)
         AT TIME ZONE e."timeZone"
$$;
