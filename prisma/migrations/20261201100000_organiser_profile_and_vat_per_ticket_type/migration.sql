-- Invoices (issue 16): the organiser's identity and tax settings, and a VAT rate per ticket type.

-- Each existing type takes its edition's rate, which its receipts have shown so far, when French VAT has such a
-- rate; an edition at another rate (none could be chosen for invoices) falls back to the standard 20 %.
ALTER TABLE "TicketType" ADD COLUMN "vatRateBasisPoints" INTEGER NOT NULL DEFAULT 2000,
  ADD COLUMN "vatExemption" VARCHAR(300);
UPDATE "TicketType" t SET "vatRateBasisPoints" = e."vatRateBasisPoints"
FROM "Edition" e
WHERE e.id = t."editionId" AND e."vatRateBasisPoints" IN (1000, 550, 210, 0);
ALTER TABLE "TicketType" ADD CONSTRAINT "TicketType_vat_rate"
  CHECK ("vatRateBasisPoints" IN (2000, 1000, 550, 210, 0));
ALTER TABLE "TicketType" ADD CONSTRAINT "TicketType_vat_exemption_at_zero"
  CHECK ("vatExemption" IS NULL OR "vatRateBasisPoints" = 0);

CREATE TABLE "OrganiserProfile" (
  "id" INTEGER NOT NULL DEFAULT 1,
  "legalName" VARCHAR(200) NOT NULL,
  "addressLines" TEXT[],
  "postcode" VARCHAR(16) NOT NULL,
  "city" VARCHAR(100) NOT NULL,
  "country" CHAR(2) NOT NULL,
  "legalForm" VARCHAR(100) NOT NULL,
  "shareCapitalCents" BIGINT,
  "siren" CHAR(9) NOT NULL,
  "siret" CHAR(14) NOT NULL,
  "rcs" VARCHAR(100),
  "vatNumber" VARCHAR(16),
  "vatFranchise" BOOLEAN NOT NULL DEFAULT false,
  "iban" VARCHAR(34) NOT NULL,
  "bic" VARCHAR(11) NOT NULL,
  "email" VARCHAR(254) NOT NULL,
  "paymentTermDays" INTEGER NOT NULL DEFAULT 30,
  "latePenaltyBasisPoints" INTEGER,
  "invoicePrefix" VARCHAR(10) NOT NULL,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "OrganiserProfile_pkey" PRIMARY KEY ("id"),
  -- One set for the installation.
  CONSTRAINT "OrganiserProfile_singleton" CHECK ("id" = 1),
  CONSTRAINT "OrganiserProfile_vat_number_or_franchise" CHECK (("vatNumber" IS NULL) = "vatFranchise"),
  CONSTRAINT "OrganiserProfile_payment_terms" CHECK ("paymentTermDays" BETWEEN 0 AND 60),
  CONSTRAINT "OrganiserProfile_penalty_rate" CHECK ("latePenaltyBasisPoints" BETWEEN 1 AND 10000),
  CONSTRAINT "OrganiserProfile_invoice_prefix" CHECK ("invoicePrefix" ~ '^[A-Z0-9]{1,10}$')
);
