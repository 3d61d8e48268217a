import { certificateFile } from "@/lib/certificates/documents";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { appNow } from "@/lib/time/clock";
import { apiRoute, session } from "@/lib/web/api-route";

// The attendee's certificate, in their language, for an organiser to hand over; 404 unless eligible, as for them.
export const GET = apiRoute(
  { auth: session("orders:manage"), edition: { find: getEditionForOrganisers } },
  async ({ params, db, edition }) => {
    const ticketId = String(params.ticketId);
    const file = /^[0-9a-f-]{36}$/.test(ticketId)
      ? await certificateFile(db, { editionId: edition.id, ticketId }, appNow())
      : null;
    if (!file) throw new EdgeRefusal(404, "not_found");
    return download(new Uint8Array(file.pdf), {
      filename: file.filename,
      contentType: "application/pdf",
      private: true,
    });
  },
);
