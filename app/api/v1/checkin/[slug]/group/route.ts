import { doorEdition } from "@/lib/checkin/door-edition";
import { admitGroup, groupRequestSchema } from "@/lib/checkin/group-check-in";
import { SCAN_ANSWER_HEADERS } from "@/lib/checkin/scan";
import { apiRoute, scannerRefused, scanningDevice } from "@/lib/web/api-route";
import { ticketKeys } from "@/lib/tickets/signing-key";

// Up to 99 ticket ids and a nonce: well under this.
const MAX_GROUP_BYTES = 8 * 1024;

// POST /api/v1/checkin/{slug}/group {ticketIds, nonce, deviceId, viaTicketId, scannedAt?}
// → one scan's answer per ticket (docs/api.md). The same callers as a single scan.
export const POST = apiRoute(
  {
    auth: scanningDevice,
    sameOriginWrites: true,
    body: {
      maxBytes: MAX_GROUP_BYTES,
      schema: groupRequestSchema,
      invalid: { code: "invalid_scan", title: "Invalid group check-in" },
    },
    edition: { find: doorEdition },
  },
  async ({ db, edition, caller, body }) => {
    const answers = await admitGroup(db, ticketKeys().verifyKeys, edition.id, caller, body);
    if (!Array.isArray(answers)) throw scannerRefused();
    return Response.json({ answers }, { headers: SCAN_ANSWER_HEADERS });
  },
);
