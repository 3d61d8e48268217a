import { sampleCertificateFile } from "@/lib/certificates/documents";
import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { currentLocale } from "@/lib/i18n/page-locale";
import { apiRoute, session } from "@/lib/web/api-route";

// A certificate with a made-up attendee, in the back office's language, to check the settings before the edition.
export const GET = apiRoute(
  { auth: session("editions:manage"), edition: { find: getEditionForOrganisers } },
  async ({ db, edition }) => {
    const file = await sampleCertificateFile(db, edition.id, await currentLocale());
    if (!file) throw new EdgeRefusal(404, "not_found");
    return download(new Uint8Array(file.pdf), { filename: file.filename, contentType: "application/pdf" });
  },
);
