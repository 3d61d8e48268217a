import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { ticketPdfFor } from "@/lib/tickets/attendee-files";

export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { token }) => {
  const file = await ticketPdfFor(token);
  if (!file) throw new EdgeRefusal(404, "not_found");
  return new Response(new Uint8Array(file.pdf), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "private, no-store" },
  });
});
