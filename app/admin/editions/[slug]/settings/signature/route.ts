import { certificateSettingsOf } from "@/lib/certificates/settings";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { EdgeRefusal } from "@/lib/http/edge";
import { apiRoute, session } from "@/lib/web/api-route";

// The saved signature as the settings page shows it: the stored bytes, only ever a PNG or JPEG the save checked.
export const GET = apiRoute(
  { auth: session("editions:manage"), edition: { find: getEditionForOrganisers } },
  async ({ db, edition }) => {
    const { signature, signatureType } = await certificateSettingsOf(db, edition.id);
    if (!signature || !signatureType) throw new EdgeRefusal(404, "not_found");
    return new Response(new Uint8Array(signature), {
      headers: { "content-type": signatureType, "cache-control": "private, no-store" },
    });
  },
);
