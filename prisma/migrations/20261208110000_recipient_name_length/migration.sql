-- A message's recipient's first name is a ticket's or buyer's first name (up to 100), or a waiting-list entry's whole
-- name (up to 200): widened in a migration of its own, since 20261208100000 is applied as it was first written.
ALTER TABLE "MessageRecipient" ALTER COLUMN "firstName" TYPE VARCHAR(200);
