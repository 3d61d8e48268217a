import { download } from "@/lib/http/download";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { calendarFor } from "@/lib/tickets/attendee-files";

export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { token }) => {
  const file = await calendarFor(token);
  if (!file) throw new EdgeRefusal(404, "not_found");
  return download(file.ics, { filename: file.filename, contentType: "text/calendar; charset=utf-8", private: true });
});
