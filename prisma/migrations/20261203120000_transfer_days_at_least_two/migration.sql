-- With under two days to pay a transfer is never offered (transferDeadline), so one day was a setting saved and never
-- used: the form now asks for 2 to 60, and the database agrees. An edition set to 1 is moved to 2, its nearest use.
UPDATE "Edition" SET "transferDays" = 2 WHERE "transferDays" = 1;
ALTER TABLE "Edition" DROP CONSTRAINT "Edition_transferDays_range",
  ADD CONSTRAINT "Edition_transferDays_range" CHECK ("transferDays" IS NULL OR "transferDays" BETWEEN 2 AND 60);
