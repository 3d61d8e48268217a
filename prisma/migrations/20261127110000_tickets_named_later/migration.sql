-- Group orders: a ticket may be named later (its attendee unknown when bought), and each named ticket
-- gets its own private link, apart from the buyer's order link. Every existing ticket is named.

ALTER TABLE "Edition" ADD COLUMN "allowNameLater" BOOLEAN NOT NULL DEFAULT true;

-- 192 random bits like newAccessToken (lib/orders/codes.ts), base64url: two v4 uuids hold 244 of them,
-- so no pgcrypto is needed. A column default too, so every named ticket gets its link however it is
-- written (seeds, benchmarks), while the application writes null for an unnamed one.
CREATE FUNCTION new_access_token() RETURNS varchar(64) LANGUAGE sql VOLATILE AS $$
  SELECT rtrim(translate(encode(substring(decode(
    replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex') FROM 1 FOR 24),
    'base64'), '+/', '-_'), '=')
$$;

ALTER TABLE "Ticket" ADD COLUMN "accessToken" VARCHAR(64) DEFAULT new_access_token();

ALTER TABLE "Ticket" ALTER COLUMN "firstName" DROP NOT NULL, ALTER COLUMN "lastName" DROP NOT NULL,
  ALTER COLUMN "email" DROP NOT NULL,
  -- Unnamed is all null and has no link of its own, while a named ticket has a whole name and an email.
  ADD CONSTRAINT "Ticket_named_all_or_nothing" CHECK (
    ("firstName" IS NULL AND "lastName" IS NULL AND "email" IS NULL AND "accessToken" IS NULL) OR
    ("firstName" IS NOT NULL AND "lastName" IS NOT NULL AND "email" IS NOT NULL));

CREATE UNIQUE INDEX "Ticket_accessToken_key" ON "Ticket"("accessToken");
