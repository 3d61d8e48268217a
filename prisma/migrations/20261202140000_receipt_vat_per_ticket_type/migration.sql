-- Receipts show VAT per ticket type, as invoices do (issue 16): the edition's one rate, which only receipts read, is
-- gone. Nothing is lost: 20261201100000 gave every existing ticket type the edition's rate.
ALTER TABLE "Edition" DROP COLUMN "vatRateBasisPoints";
