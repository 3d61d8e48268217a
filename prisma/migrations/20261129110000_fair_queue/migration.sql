-- A fair queue (waiting room) per edition for its sales opening (lib/queue). Arrival order comes from one
-- sequence per edition, created when its queue is first turned on: nextval is lock-free, never rolled back and
-- shared by every app instance. Admission is a frontier moved on the database's clock (lib/queue/ticker.ts).
-- Existing editions get no row (queue off) and existing orders no ordinal.

CREATE TABLE "EditionQueue" (
    "editionId" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "opensAt" TIMESTAMPTZ(3),
    "admitPerSecond" INTEGER NOT NULL DEFAULT 50,
    "frontier" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "tickedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EditionQueue_pkey" PRIMARY KEY ("editionId"),
    CONSTRAINT "EditionQueue_admit_per_second" CHECK ("admitPerSecond" BETWEEN 1 AND 10000)
);

ALTER TABLE "EditionQueue" ADD CONSTRAINT "EditionQueue_editionId_fkey" FOREIGN KEY ("editionId")
    REFERENCES "Edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One order per place in the queue.
ALTER TABLE "Order" ADD COLUMN "queueOrdinal" INTEGER;
CREATE UNIQUE INDEX "Order_editionId_queueOrdinal_key" ON "Order"("editionId", "queueOrdinal");

-- The name of an edition's arrival sequence.
CREATE FUNCTION guichet_queue_sequence(edition uuid) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'guichet_queue_' || replace(edition::text, '-', '') $$;

-- CACHE 1 (the default, said out loud): a cache per session would hand each connection its own block of
-- ordinals, and arrivals on two connections would no longer be numbered in arrival order.
CREATE FUNCTION guichet_queue_prepare(edition uuid) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS integer CACHE 1', guichet_queue_sequence(edition));
END $$;

-- Ordinals handed out so far (0 before the first arrival or without a sequence).
CREATE FUNCTION guichet_queue_issued(edition uuid) RETURNS integer
    LANGUAGE sql STABLE AS $$
    SELECT coalesce(pg_sequence_last_value(to_regclass(guichet_queue_sequence(edition))), 0)::integer $$;
