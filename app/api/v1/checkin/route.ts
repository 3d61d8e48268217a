import { z } from "zod";
import { doorEdition } from "@/lib/checkin/door-edition";
import { recordScan, SCAN_ANSWER_HEADERS, scanRequestSchema } from "@/lib/checkin/scan";
import { apiRoute, scannerRefused, scanningDevice } from "@/lib/web/api-route";
import { EdgeRefusal } from "@/lib/http/edge";
import { ticketKeys } from "@/lib/tickets/signing-key";

const bodySchema = z.object({ edition: z.string().min(1).max(80) }).and(scanRequestSchema);

// A scan is a few hundred bytes; a scanner never sends more than this.
const MAX_SCAN_BYTES = 8 * 1024;

// POST /api/v1/checkin {edition, code | ticketId, nonce, deviceId, scannedAt?, offlineAdmitted?}
// → the door's answer (docs/api.md). A staff session (from the app's own pages) or a check-in device token.
export const POST = apiRoute(
  {
    auth: scanningDevice,
    sameOriginWrites: true,
    body: { maxBytes: MAX_SCAN_BYTES, schema: bodySchema, invalid: { code: "invalid_scan", title: "Invalid scan" } },
    edition: { find: doorEdition, slugOf: (_params, body) => body.edition },
  },
  async ({ db, edition, caller, body }) => {
    const answer = await recordScan(db, ticketKeys().verifyKeys, edition.id, caller, body);
    if (answer.result === "scanner_refused") throw scannerRefused();
    if (answer.result === "nonce_reused") {
      throw new EdgeRefusal(409, "nonce_reused", { title: "This nonce was used for another scan" });
    }
    return Response.json(answer, { headers: SCAN_ANSWER_HEADERS });
  },
);
