import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { calendarFor } from "@/lib/tickets/attendee-files";

export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { token }) => {
  const file = await calendarFor(token);
  if (!file) throw new EdgeRefusal(404, "not_found");
  return new Response(file.ics, {
    headers: { "content-type": "text/calendar; charset=utf-8", "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "private, no-store" },
  });
});
