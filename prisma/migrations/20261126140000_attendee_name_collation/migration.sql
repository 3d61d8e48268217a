-- Names sort as people read them (ICU root collation: "Łukasiewicz" before "Torvalds", "Émile"
-- among the E), not by code point as the database's C collation does. Set on the columns so that
-- every ORDER BY (attendee list, exports, badges) gets it without repeating a COLLATE clause.
ALTER TABLE "Ticket"
  ALTER COLUMN "firstName" TYPE VARCHAR(100) COLLATE "und-x-icu",
  ALTER COLUMN "lastName" TYPE VARCHAR(100) COLLATE "und-x-icu",
  ALTER COLUMN "email" TYPE VARCHAR(254) COLLATE "und-x-icu",
  ALTER COLUMN "company" TYPE VARCHAR(200) COLLATE "und-x-icu";

ALTER TABLE "TicketType"
  ALTER COLUMN "nameFr" TYPE VARCHAR(200) COLLATE "und-x-icu",
  ALTER COLUMN "nameEn" TYPE VARCHAR(200) COLLATE "und-x-icu";
