import { ticketPdfFor } from "@/lib/tickets/attendee-files";

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const file = await ticketPdfFor((await params).token);
  if (!file) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(file.pdf), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "private, no-store" },
  });
}
