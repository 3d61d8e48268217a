import { checkInSnapshot } from "@/lib/checkin/snapshot";
import { apiRoute, scanner } from "@/lib/web/api-route";
import { ticketKeys } from "@/lib/tickets/signing-key";

// GET /api/v1/checkin/{slug}: what a scanner stores to keep working offline.
export const GET = apiRoute(
  { auth: scanner, edition: { find: (db, slug) => db.edition.findUnique({ where: { slug } }) } },
  async ({ db, edition }) =>
    Response.json(await checkInSnapshot(db, edition, ticketKeys().publicKey), { headers: { "cache-control": "no-store" } }),
);
