-- Reminders to buyers whose tickets are still unnamed as the edition nears: a setting per edition (existing
-- editions get the default, 7 days), and when each order's buyer was last reminded (never, for every order so far).

ALTER TABLE "Edition" ADD COLUMN "unnamedReminderDays" INTEGER DEFAULT 7,
  ADD CONSTRAINT "Edition_unnamed_reminder_days"
    CHECK ("unnamedReminderDays" IS NULL OR "unnamedReminderDays" BETWEEN 1 AND 90);

ALTER TABLE "Order" ADD COLUMN "unnamedReminderAt" TIMESTAMPTZ(3);
