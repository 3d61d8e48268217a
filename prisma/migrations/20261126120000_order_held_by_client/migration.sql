-- Caps how many unpaid seats one client holds at once (existing orders keep NULL: not counted).
ALTER TABLE "Order" ADD COLUMN "heldByClient" VARCHAR(64);

CREATE INDEX "Order_editionId_heldByClient_idx" ON "Order"("editionId", "heldByClient");
