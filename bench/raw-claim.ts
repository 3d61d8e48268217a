// The reference the app is measured against: one registration done straight over pg, with no HTTP and
// no Next, running the statements the app's registration runs today. When the app's claim changes
// (counter rows, one SQL call), this file is the one to change, so the reference keeps meaning
// "what the database can do for the app's claim".
import pg from "pg";
import { groupOf } from "./registrations";

export type RawOutcome = "granted" | "sold_out" | "already_registered" | "edition_closed";

/**
 * Inserts the order and its tickets (their insert takes the seats on the counter rows, or fails with GS001),
 * then runs the rest of claimSeats in lib/capacity/seats.ts (open, email clash, its live-seat rule written
 * out), then commits or rolls back: all or nothing, as the app.
 */
export async function registerRaw(
  pool: pg.Pool,
  run: { editionId: string; typeIds: { free: string; student: string } },
  i: number,
): Promise<RawOutcome> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const order = await client.query<{ id: string }>(
      `INSERT INTO "Order" (id, reference, "accessToken", "editionId", "buyerFirstName", "buyerLastName",
         "buyerEmail", locale, status, "amountCents", currency, "confirmedAt", "updatedAt")
       VALUES (gen_random_uuid(), $1, $2, $3, 'Raw', 'Rush', $4, 'en', 'CONFIRMED', 0, 'EUR', now(), now())
       RETURNING id`,
      [`RAW${i}`, `raw-token-${i}`, run.editionId, `raw.${i}@example.org`],
    );
    const orderId = order.rows[0].id;
    await client.query(
      `INSERT INTO "Ticket" (id, "orderId", position, "editionId", "ticketTypeId", "firstName", "lastName", email,
         "priceCents", "updatedAt")
       SELECT gen_random_uuid(), $1, n, $2,
         (ARRAY[$3::uuid, $4::uuid])[CASE WHEN kinds[n] = 'student' THEN 2 ELSE 1 END],
         'Raw', 'Rush', 'raw.' || $5::text || '.' || n || '@example.org', 0, now()
       FROM (SELECT $6::text[] AS kinds) k, generate_series(1, array_length($6::text[], 1)) AS n`,
      [orderId, run.editionId, run.typeIds.free, run.typeIds.student, i, groupOf(i)],
    );
    const outcome = await claim(client, run.editionId, orderId);
    await client.query(outcome === "granted" ? "COMMIT" : "ROLLBACK");
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK");
    // The ticket insert's trigger refuses a full edition or type with GS001.
    if ((error as { code?: string }).code === "GS001") return "sold_out";
    throw error;
  } finally {
    client.release();
  }
}

async function claim(client: pg.PoolClient, editionId: string, orderId: string): Promise<RawOutcome> {
  // The ticket insert's trigger has taken the seats on the counter rows (lib/capacity/seats.ts); what is left
  // of the claim is the open check and the email clash, under the counter row's lock.
  const locked = await client.query<{ open: boolean }>(
    `SELECT open FROM "EditionSeats" WHERE "editionId" = $1 FOR NO KEY UPDATE`,
    [editionId],
  );
  if (!locked.rows[0]?.open) return "edition_closed";
  const { rows } = await client.query<{ clashes: number[] }>(
    `SELECT coalesce(array_agg(a.position ORDER BY a.position), '{}') AS clashes
     FROM "Ticket" a
     WHERE a."orderId" = $2::uuid AND a.status = 'ACTIVE' AND a.email IS NOT NULL
       AND EXISTS (SELECT 1 FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" AND o."editionId" = t."editionId"
                   WHERE t."editionId" = $1::uuid AND t.email = a.email AND t."orderId" <> $2::uuid
                     AND t.status = 'ACTIVE'
                     AND (o.status = 'CONFIRMED' OR (o.status = 'PENDING' AND o."holdExpiresAt" > clock_timestamp())))`,
    [editionId, orderId],
  );
  return rows[0].clashes.length > 0 ? "already_registered" : "granted";
}
