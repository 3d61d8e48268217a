import { checkInSnapshot, snapshotJson } from "@/lib/checkin/snapshot";
import { apiRoute, scanner } from "@/lib/web/api-route";
import { ticketKeys } from "@/lib/tickets/signing-key";

// GET /api/v1/checkin/{slug}: what a scanner stores to keep working offline.
export const GET = apiRoute(
  { auth: scanner, edition: { find: (db, slug) => db.edition.findUnique({ where: { slug } }) } },
  async ({ db, edition }) => {
    const snapshot = await checkInSnapshot(db, edition, ticketKeys().verifyKeys);
    return new Response(snapshotJson(snapshot), {
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  },
);
