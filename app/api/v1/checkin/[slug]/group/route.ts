import { admitGroup, groupRequestSchema } from "@/lib/checkin/group-check-in";
import { apiRoute, scanner } from "@/lib/web/api-route";
import { ticketKeys } from "@/lib/tickets/signing-key";

// Up to 99 ticket ids and a nonce: well under this.
const MAX_GROUP_BYTES = 8 * 1024;

// POST /api/v1/checkin/{slug}/group {ticketIds, nonce, deviceId, viaTicketId, scannedAt?}
// → one scan's answer per ticket (docs/api.md). The same callers as a single scan.
export const POST = apiRoute(
  {
    auth: scanner,
    sameOriginWrites: true,
    body: {
      maxBytes: MAX_GROUP_BYTES,
      schema: groupRequestSchema,
      invalid: { code: "invalid_scan", title: "Invalid group check-in" },
    },
    edition: { find: (db, slug) => db.edition.findUnique({ where: { slug }, select: { id: true } }) },
  },
  async ({ db, edition, caller, body }) => {
    const answers = await admitGroup(db, ticketKeys().publicKey, edition.id, caller, body);
    return Response.json({ answers }, { headers: { "cache-control": "no-store" } });
  },
);
