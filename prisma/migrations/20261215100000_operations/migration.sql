-- Issue 20: the request id carried into emails, sweeps' last runs, webhooks that failed.
ALTER TABLE "EmailOutbox" ADD COLUMN "requestId" VARCHAR(64);

CREATE TABLE "SweepRun" (
    "name" VARCHAR(40) NOT NULL,
    "instance" VARCHAR(120) NOT NULL,
    "lastStartedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastFinishedAt" TIMESTAMPTZ(3),
    "lastOkAt" TIMESTAMPTZ(3),
    "lastError" VARCHAR(500),
    CONSTRAINT "SweepRun_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "StripeEventFailure" (
    "eventId" VARCHAR(255) NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "lastError" VARCHAR(500) NOT NULL,
    "firstFailedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastFailedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StripeEventFailure_pkey" PRIMARY KEY ("eventId")
);
