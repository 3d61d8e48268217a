-- Refund statuses follow Stripe, and sends are retried with backoff.
ALTER TYPE "RefundStatus" ADD VALUE 'FAILED';
ALTER TYPE "RefundStatus" ADD VALUE 'REQUIRES_ACTION';
ALTER TYPE "RefundStatus" ADD VALUE 'CANCELED';

ALTER TABLE "Refund" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "nextAttemptAt" TIMESTAMPTZ(3),
ADD COLUMN "lastError" VARCHAR(500);

CREATE INDEX "Refund_status_nextAttemptAt_idx" ON "Refund"("status", "nextAttemptAt");

-- The parameters of a checkout attempt, fixed before Stripe is called.
ALTER TABLE "Order" ADD COLUMN "checkoutAttempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "checkoutExpiresAt" TIMESTAMPTZ(3);

-- Payments that cannot be kept, refunded in full.
CREATE TABLE "OrphanPayment" (
    "id" UUID NOT NULL,
    "stripeEventId" VARCHAR(255) NOT NULL,
    "sessionId" VARCHAR(255) NOT NULL,
    "paymentIntentId" VARCHAR(255) NOT NULL,
    "orderId" UUID,
    "reason" VARCHAR(64) NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" "RefundStatus" NOT NULL DEFAULT 'PENDING',
    "stripeRefundId" VARCHAR(255),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lastError" VARCHAR(500),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMPTZ(3),

    CONSTRAINT "OrphanPayment_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "OrphanPayment_sessionId_key" ON "OrphanPayment"("sessionId");
CREATE UNIQUE INDEX "OrphanPayment_paymentIntentId_key" ON "OrphanPayment"("paymentIntentId");
CREATE UNIQUE INDEX "OrphanPayment_stripeRefundId_key" ON "OrphanPayment"("stripeRefundId");
CREATE INDEX "OrphanPayment_status_nextAttemptAt_idx" ON "OrphanPayment"("status", "nextAttemptAt");
CREATE INDEX "OrphanPayment_orderId_idx" ON "OrphanPayment"("orderId");

ALTER TABLE "OrphanPayment" ADD CONSTRAINT "OrphanPayment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
