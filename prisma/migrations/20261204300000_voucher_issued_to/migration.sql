-- Whom a code was given to (a speaker's email, lower-cased): one code per address and tag per edition, so that
-- importing the same speakers again creates nothing. Existing codes were given to nobody in particular (NULL).
ALTER TABLE "Voucher" ADD COLUMN "issuedTo" VARCHAR(320);

CREATE UNIQUE INDEX "Voucher_editionId_tag_issuedTo_key" ON "Voucher"("editionId", "tag", "issuedTo");
