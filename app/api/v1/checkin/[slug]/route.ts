import { scannerAt } from "@/lib/checkin/access";
import { checkInSnapshot } from "@/lib/checkin/snapshot";
import { db } from "@/lib/db/prisma";
import { ticketKeys } from "@/lib/tickets/signing-key";

// GET /api/v1/checkin/{slug}: what a scanner stores to keep working offline.
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const edition = await db().edition.findUnique({ where: { slug: (await params).slug } });
  if (!edition) return Response.json({ title: "No such edition", status: 404 }, { status: 404 });
  const access = await scannerAt(db(), request, edition.id);
  if (access.denied) return access.denied;
  return Response.json(await checkInSnapshot(db(), edition, ticketKeys().publicKey), { headers: { "cache-control": "no-store" } });
}
