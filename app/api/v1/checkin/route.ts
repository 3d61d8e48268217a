import { z } from "zod";
import { scannerAt } from "@/lib/checkin/access";
import { recordScan, scanRequestSchema } from "@/lib/checkin/scan";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { crossSiteWriteRefusal } from "@/lib/http/same-origin";
import { ticketKeys } from "@/lib/tickets/signing-key";

const bodySchema = z.object({ edition: z.string().min(1).max(80) }).and(scanRequestSchema);

// POST /api/v1/checkin {edition, code | ticketId, nonce, deviceId, scannedAt?, offlineAdmitted?}
// → the door's answer (docs/api.md). A staff session or a check-in device token.
export async function POST(request: Request) {
  const crossSite = crossSiteWriteRefusal(request, env().APP_URL);
  if (crossSite) return crossSite;
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ title: "Invalid scan", status: 400, issues: body.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) }, { status: 400 });
  const edition = await db().edition.findUnique({ where: { slug: body.data.edition }, select: { id: true } });
  if (!edition) return Response.json({ title: "No such edition", status: 404 }, { status: 404 });
  const access = await scannerAt(db(), request, edition.id);
  if (access.denied) return access.denied;
  const answer = await recordScan(db(), ticketKeys().publicKey, edition.id, access.scanner, body.data);
  return Response.json(answer, { headers: { "cache-control": "no-store" } });
}
