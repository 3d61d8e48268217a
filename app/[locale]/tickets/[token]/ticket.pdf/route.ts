import { download } from "@/lib/http/download";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { ticketPdfFor } from "@/lib/tickets/attendee-files";

export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { token }) => {
  const file = await ticketPdfFor(token);
  if (!file) throw new EdgeRefusal(404, "not_found");
  return download(new Uint8Array(file.pdf), { filename: file.filename, contentType: "application/pdf", private: true });
});
