import { scannerAt } from "@/lib/checkin/access";
import { checkInSnapshot } from "@/lib/checkin/snapshot";
import { db } from "@/lib/db/prisma";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { ticketKeys } from "@/lib/tickets/signing-key";

// GET /api/v1/checkin/{slug}: what a scanner stores to keep working offline.
export const GET = edgeRoute<{ slug: string }>(async (request, { slug }) => {
  const edition = await db().edition.findUnique({ where: { slug } });
  if (!edition) throw new EdgeRefusal(404, "not_found", { title: "No such edition" });
  await scannerAt(db(), request, edition.id);
  return Response.json(await checkInSnapshot(db(), edition, ticketKeys().publicKey), { headers: { "cache-control": "no-store" } });
});
