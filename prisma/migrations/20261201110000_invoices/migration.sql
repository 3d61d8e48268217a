-- Invoices and credit notes (issue 16): one row per document issued, holding the document as it was printed, in
-- one series of numbers for the installation (prefix-year-sequence) with no gap (lib/invoices/issue.ts).

CREATE TYPE "InvoiceKind" AS ENUM ('invoice', 'credit_note');

CREATE TABLE "Invoice" (
  "id" UUID NOT NULL,
  "kind" "InvoiceKind" NOT NULL,
  "number" VARCHAR(40) NOT NULL,
  "year" INTEGER NOT NULL,
  "sequence" INTEGER NOT NULL,
  "issuedAt" TIMESTAMPTZ(3) NOT NULL,
  "orderId" UUID NOT NULL,
  "correctsId" UUID,
  "creditedQuantities" INTEGER[],
  "document" JSONB NOT NULL,
  "currency" CHAR(3) NOT NULL,
  "excludingVatCents" INTEGER NOT NULL,
  "vatCents" INTEGER NOT NULL,
  "includingVatCents" INTEGER NOT NULL,
  CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "Invoice_sequence_positive" CHECK ("sequence" > 0),
  CONSTRAINT "Invoice_amounts_add_up" CHECK (
    "excludingVatCents" >= 0 AND "vatCents" >= 0 AND "excludingVatCents" + "vatCents" = "includingVatCents"
  ),
  -- A credit note, and only a credit note, corrects an invoice.
  CONSTRAINT "Invoice_credit_note_corrects" CHECK (("kind" = 'credit_note') = ("correctsId" IS NOT NULL))
);
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice"("number");
CREATE UNIQUE INDEX "Invoice_year_sequence_key" ON "Invoice"("year", "sequence");
CREATE INDEX "Invoice_orderId_idx" ON "Invoice"("orderId");
CREATE INDEX "Invoice_correctsId_idx" ON "Invoice"("correctsId");
CREATE INDEX "Invoice_issuedAt_idx" ON "Invoice"("issuedAt");
-- An order is invoiced once; what changes afterwards is credited.
CREATE UNIQUE INDEX "Invoice_one_per_order" ON "Invoice"("orderId") WHERE "kind" = 'invoice';
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_orderId_fkey" FOREIGN KEY ("orderId")
  REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_correctsId_fkey" FOREIGN KEY ("correctsId")
  REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An issued document is final: a correction is a credit note. Row triggers only: TRUNCATE (the benches' fresh
-- start, "Order" CASCADE) is an administrator's wipe of the whole table, not a change to a document.
CREATE FUNCTION guichet_invoice_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoice % is issued: it is never updated or deleted (a correction is a credit note)', OLD."number"
    USING ERRCODE = 'GI001';
END
$$;
CREATE TRIGGER "Invoice_never_changes" BEFORE UPDATE OR DELETE ON "Invoice"
  FOR EACH ROW EXECUTE FUNCTION guichet_invoice_is_final();

-- The series: one row, created here so that issuing never has to insert it (an insert would not serialise
-- the first issuers of an installation the way an UPDATE of an existing row does).
CREATE TABLE "InvoiceSeries" (
  "id" INTEGER NOT NULL DEFAULT 1,
  "year" INTEGER NOT NULL DEFAULT 0,
  "sequence" INTEGER NOT NULL DEFAULT 0,
  "lastIssuedAt" TIMESTAMPTZ(3),
  CONSTRAINT "InvoiceSeries_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "InvoiceSeries_one_row" CHECK ("id" = 1)
);
INSERT INTO "InvoiceSeries" ("id") VALUES (1);
