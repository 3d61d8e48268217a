-- Whether an attendee of a group may cancel their own ticket from its own page. Off for every existing
-- edition: the buyer paid, so only the organiser can let someone else give a ticket back.
ALTER TABLE "Edition" ADD COLUMN "attendeesMayCancel" BOOLEAN NOT NULL DEFAULT false;
