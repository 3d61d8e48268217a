import { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/** Whose data: everything held under one address (an erasure), or every named person of an edition (retention). */
export type AnonymiseScope = { emailKey: string } | { editionId: string };

/** Rows changed per table: what the audit entry of an erasure or of a retention run records. */
export type AnonymisedCounts = {
  tickets: number;
  orders: number;
  billingDeleted: number;
  waitingList: number;
  emails: number;
  messageRecipients: number;
  scans: number;
  auditEntries: number;
  vouchers: number;
  rateLimits: number;
};

// Keys under which audit snapshots hold a person's data, whatever the record (attendee, buyer, entry). A value that
// is a string, a flat object (answers, a buyer) or a flat array is blanked whole; deeper objects have their own keys
// blanked by the same pass. Applied to the snapshot's JSON text, so nested snapshots need no walk.
const JSON_VALUE = '("(?:[^"\\\\]|\\\\.)*"|\\{[^{}]*\\}|\\[[^\\[\\]]*\\])';
const PERSONAL_KEYS =
  '"(firstName|lastName|email|company|answers|name|buyer|attendee|holder|to|toEmail|from|' +
  `buyerFirstName|buyerLastName|buyerEmail|buyerCompany)": ${JSON_VALUE}`;
// The buyer's keys only: what another holder's ticket history says of the order's buyer.
const BUYER_KEYS = `"(buyer|buyerFirstName|buyerLastName|buyerEmail|buyerCompany)": ${JSON_VALUE}`;
const blanked = (mark: string) => `"\\1": "${mark}"`;
// Every character but letters and digits escaped: the address is then matched literally (ARE treats "\" + a
// non-alphanumeric character as that character).
const REGEX_QUOTED = "\\\\\\&";

/** A snapshot with its personal keys (`mark`) and every occurrence of `address` (SQL text, lower-cased) blanked. */
const scrubbed = (column: Prisma.Sql, address: Prisma.Sql, mark = "█") => Prisma.sql`
  CASE WHEN ${column} IS NULL THEN NULL ELSE regexp_replace(
    regexp_replace(${column}::text, ${PERSONAL_KEYS}, ${blanked(mark)}, 'g'),
    regexp_replace(${address}, '[^A-Za-z0-9]', ${REGEX_QUOTED}, 'g'), '█', 'gi')::jsonb END`;

const buyerScrubbed = (column: Prisma.Sql) => Prisma.sql`
  CASE WHEN ${column} IS NULL THEN NULL ELSE regexp_replace(${column}::text, ${BUYER_KEYS}, ${blanked("█")}, 'g')::jsonb
  END`;

/** The address a row holds once anonymised: unique per row, so "all set or all null" holds, and it reaches no one. */
const placeholder = (id: Prisma.Sql) => Prisma.sql`'erased+' || ${id}::text || '@invalid'`;

function rowsOf(scope: AnonymiseScope) {
  if ("emailKey" in scope) {
    const key = scope.emailKey;
    return {
      tickets: Prisma.sql`lower(btrim(t.email)) = ${key}`,
      orders: Prisma.sql`lower(btrim(o."buyerEmail")) = ${key}`,
      entries: Prisma.sql`w."emailKey" = ${key}`,
      emails: Prisma.sql`lower(btrim(e."toAddress")) = ${key}`,
      recipients: Prisma.sql`r."emailKey" = ${key}`,
      linkHolders: Prisma.sql`lower(btrim(a."actorEmail")) = ${key}`,
      vouchers: Prisma.sql`v."issuedTo" = ${key}`,
    };
  }
  const edition = Prisma.sql`${scope.editionId}::uuid`;
  return {
    // Unnamed tickets stay all-null: nobody is named in them.
    tickets: Prisma.sql`t."editionId" = ${edition} AND t.email IS NOT NULL`,
    orders: Prisma.sql`o."editionId" = ${edition}`,
    entries: Prisma.sql`w."editionId" = ${edition}`,
    emails: Prisma.sql`e."editionId" = ${edition} AND e."dedupeKey" NOT LIKE 'erased:%'`,
    recipients: Prisma.sql`r."messageId" IN (SELECT id FROM "Message" WHERE "editionId" = ${edition})
      AND r."emailKey" NOT LIKE 'erased+%@invalid'`,
    linkHolders: Prisma.sql`a."editionId" = ${edition} AND a."actorEmail" NOT LIKE 'erased+%@invalid'`,
    vouchers: Prisma.sql`v."editionId" = ${edition} AND v."issuedTo" IS NOT NULL`,
  };
}

/**
 * Anonymises the scope's personal data in set-based statements (docs/operations.md, "Erasure", steps 2 to 7): names
 * become "—", addresses placeholders, private links new (the old ones die), answers and companies go; amounts,
 * statuses, types, check-in times and invoices stay, so every count and report is unchanged. Rows anonymised before
 * are left alone. Nothing here releases a seat: a live ticket is cancelled first (lib/privacy/erase.ts).
 */
export async function anonymise(tx: Tx, scope: AnonymiseScope, now: Date): Promise<AnonymisedCounts> {
  const rows = rowsOf(scope);
  const liveRows = {
    tickets: Prisma.sql`${rows.tickets} AND t."erasedAt" IS NULL`,
    orders: Prisma.sql`${rows.orders} AND o."erasedAt" IS NULL`,
    entries: Prisma.sql`${rows.entries} AND w."erasedAt" IS NULL`,
  };

  // The scope's tickets and orders still named, each with its own address (so retention uses the same statements).
  const namedRecords = Prisma.sql`
      SELECT 'ticket' AS type, t.id::text AS id, lower(btrim(t.email)) AS address FROM "Ticket" t
       WHERE ${liveRows.tickets}
      UNION ALL
      SELECT 'order', o.id::text, lower(btrim(o."buyerEmail")) FROM "Order" o WHERE ${liveRows.orders}`;

  // Step 7 first, while the rows still hold the addresses their history is scrubbed of.
  let auditEntries = await tx.$executeRaw`
    WITH subjects AS (
      ${namedRecords}
      UNION ALL
      SELECT 'waitlist_entry', w.id::text, w."emailKey" FROM "WaitingListEntry" w WHERE ${liveRows.entries})
    UPDATE "AuditEntry" a
       SET before = ${scrubbed(Prisma.sql`a.before`, Prisma.sql`s.address`)},
           after = ${scrubbed(Prisma.sql`a.after`, Prisma.sql`s.address`)}, "erasedAt" = ${now}
      FROM subjects s
     WHERE a."subjectType" = s.type AND a."subjectId" = s.id`;
  // The history of other holders' tickets in the orders the scope bought names the buyer (by name, perhaps without
  // the address): the buyer's keys go, the holder's own stay (they are not the one erased).
  auditEntries += await tx.$executeRaw`
    UPDATE "AuditEntry" a
       SET before = ${buyerScrubbed(Prisma.sql`a.before`)}, after = ${buyerScrubbed(Prisma.sql`a.after`)},
           "erasedAt" = ${now}
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
     WHERE a."subjectType" = 'ticket' AND a."subjectId" = t.id::text AND ${liveRows.orders}
       AND (a.before::text ~ ${BUYER_KEYS} OR a.after::text ~ ${BUYER_KEYS})`;
  if ("emailKey" in scope) {
    // The address in the history of records it no longer holds (a ticket passed on, an address corrected).
    const pattern = `%${escapeLike(scope.emailKey)}%`;
    const key = Prisma.sql`${scope.emailKey}::text`;
    auditEntries += await tx.$executeRaw`
      UPDATE "AuditEntry" a
         SET before = ${scrubbed(Prisma.sql`a.before`, key)}, after = ${scrubbed(Prisma.sql`a.after`, key)},
             "erasedAt" = ${now}
       WHERE a.before::text ILIKE ${pattern} OR a.after::text ILIKE ${pattern}`;
  }
  // Step 6 also reaches emails about the scope's tickets or orders sent to someone else (a group's buyer told that
  // the erased holder's ticket was cancelled, a transfer's other party): their payloads name the person ("holder",
  // "to", "from", "toEmail", "name"). Whatever their status (a sent one keeps its payload); a pending one says "—".
  await tx.$executeRaw`
    WITH subjects AS (${namedRecords})
    UPDATE "EmailOutbox" e SET payload = ${scrubbed(Prisma.sql`e.payload`, Prisma.sql`s.address`, "—")}
      FROM subjects s
     WHERE (s.type = 'order' AND e."orderId"::text = s.id)
        OR (s.type = 'ticket' AND s.id IN (e.payload #>> '{ticket,id}', e.payload ->> 'ticketId'))`;
  await tx.$executeRaw`
    UPDATE "AuditEntry" a SET "actorEmail" = ${placeholder(Prisma.sql`a.id`)}
     WHERE a."actorId" IS NULL AND ${rows.linkHolders}`;

  const scans = await tx.$executeRaw`
    UPDATE "CheckInScan" SET answer = answer - 'attendee' - 'group'
     WHERE "ticketId" IN (SELECT t.id FROM "Ticket" t WHERE ${liveRows.tickets})
       AND (answer ? 'attendee' OR answer ? 'group')`;

  const tickets = await tx.$executeRaw`
    UPDATE "Ticket" t
       SET "firstName" = '—', "lastName" = '—', email = ${placeholder(Prisma.sql`t.id`)}, company = NULL,
           answers = '{}', "accessToken" = new_access_token(), "erasedAt" = ${now}, "updatedAt" = ${now}
     WHERE ${liveRows.tickets}`;

  // An invoiced order's billing is the legal record, kept as the invoice printed it (10 years).
  const billingDeleted = await tx.$executeRaw`
    DELETE FROM "OrderBilling" b
     USING "Order" o
     WHERE b."orderId" = o.id AND ${liveRows.orders}
       AND NOT EXISTS (SELECT 1 FROM "Invoice" i WHERE i."orderId" = o.id)`;
  const orders = await tx.$executeRaw`
    UPDATE "Order" o
       SET "buyerFirstName" = '—', "buyerLastName" = '—', "buyerEmail" = ${placeholder(Prisma.sql`o.id`)},
           "buyerCompany" = NULL, "heldByClient" = NULL, "idempotencyKey" = NULL, "payToken" = NULL,
           "accessToken" = new_access_token(), "erasedAt" = ${now}, "updatedAt" = ${now}
     WHERE ${liveRows.orders}`;

  const waitingList = await tx.$executeRaw`
    UPDATE "WaitingListEntry" w
       SET name = '—', email = ${placeholder(Prisma.sql`w.id`)}, "emailKey" = ${placeholder(Prisma.sql`w.id`)},
           token = new_access_token(), "erasedAt" = ${now}, "updatedAt" = ${now}
     WHERE ${liveRows.entries}`;

  const emails = await tx.$executeRaw`
    UPDATE "EmailOutbox" e
       SET status = CASE WHEN e.status = 'PENDING' THEN 'SUPERSEDED'::"EmailStatus" ELSE e.status END,
           "lastError" = CASE WHEN e.status = 'PENDING' THEN 'erased' ELSE e."lastError" END,
           "toAddress" = ${placeholder(Prisma.sql`e.id`)}, payload = '{}', "dedupeKey" = 'erased:' || e.id::text
     WHERE ${rows.emails}`;
  const messageRecipients = await tx.$executeRaw`
    UPDATE "MessageRecipient" r
       SET "toAddress" = ${placeholder(Prisma.sql`r.id`)}, "emailKey" = ${placeholder(Prisma.sql`r.id`)},
           "firstName" = '—'
     WHERE ${rows.recipients}`;

  const vouchers = await tx.$executeRaw`UPDATE "Voucher" v SET "issuedTo" = NULL WHERE ${rows.vouchers}`;
  // Rate-limit keys end with the address they count (":email:<address>"): an erased one is forgotten.
  const rateLimits =
    "emailKey" in scope
      ? await tx.$executeRaw`DELETE FROM "RateLimit" WHERE lower(key) LIKE ${"%:" + escapeLike(scope.emailKey)}`
      : 0;

  return {
    tickets,
    orders,
    billingDeleted,
    waitingList,
    emails,
    messageRecipients,
    scans,
    auditEntries,
    vouchers,
    rateLimits,
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");
