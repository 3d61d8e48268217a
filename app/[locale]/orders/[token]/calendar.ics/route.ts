import { calendarFor } from "@/lib/tickets/attendee-files";

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const file = await calendarFor((await params).token);
  if (!file) return new Response("Not found", { status: 404 });
  return new Response(file.ics, {
    headers: { "content-type": "text/calendar; charset=utf-8", "content-disposition": `attachment; filename="${file.filename}"`, "cache-control": "private, no-store" },
  });
}
