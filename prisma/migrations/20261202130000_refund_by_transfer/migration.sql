-- A refund goes back the way its money came: through Stripe for a card, by the organiser's own bank transfer for an
-- order paid by transfer (Guichet cannot send one: the organiser sends it and marks it sent, which is audited).
-- Existing refunds are all of card payments.
ALTER TABLE "Refund" ADD COLUMN "method" "PaymentMethod" NOT NULL DEFAULT 'CARD',
  ADD COLUMN "sentBy" VARCHAR(254);
