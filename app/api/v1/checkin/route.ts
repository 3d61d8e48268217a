import { z } from "zod";
import { requireSomeScanner, scannerAt } from "@/lib/checkin/access";
import { recordScan, scanRequestSchema } from "@/lib/checkin/scan";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { decodeUtf8, EdgeRefusal, edgeRoute, parseJsonText, readBodyBytes, requireJsonType } from "@/lib/http/edge";
import { crossSiteWriteRefusal } from "@/lib/http/same-origin";
import { ticketKeys } from "@/lib/tickets/signing-key";

const bodySchema = z.object({ edition: z.string().min(1).max(80) }).and(scanRequestSchema);

// A scan is a few hundred bytes; a scanner never sends more than this.
const MAX_SCAN_BYTES = 8 * 1024;

// POST /api/v1/checkin {edition, code | ticketId, nonce, deviceId, scannedAt?, offlineAdmitted?}
// → the door's answer (docs/api.md). A staff session or a check-in device token.
export const POST = edgeRoute(async (request) => {
  const crossSite = crossSiteWriteRefusal(request, env().APP_URL);
  if (crossSite) return crossSite;
  // The byte cap first, then who is asking, and only then what they sent.
  const bytes = await readBodyBytes(request, MAX_SCAN_BYTES);
  await requireSomeScanner(db(), request);
  requireJsonType(request);
  const body = bodySchema.safeParse(parseJsonText(decodeUtf8(bytes)));
  if (!body.success) {
    const issues = body.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new EdgeRefusal(400, "invalid_scan", { title: "Invalid scan", issues });
  }
  const edition = await db().edition.findUnique({ where: { slug: body.data.edition }, select: { id: true } });
  if (!edition) throw new EdgeRefusal(404, "not_found", { title: "No such edition" });
  const scanner = await scannerAt(db(), request, edition.id);
  const answer = await recordScan(db(), ticketKeys().publicKey, edition.id, scanner, body.data);
  if (answer.result === "nonce_reused") {
    throw new EdgeRefusal(409, "nonce_reused", { title: "This nonce was used for another scan" });
  }
  return Response.json(answer, { headers: { "cache-control": "no-store" } });
});
