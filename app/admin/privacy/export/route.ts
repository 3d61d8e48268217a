import { z } from "zod";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { exportForOrganiser } from "@/lib/privacy/export";
import { privacyKey } from "@/lib/privacy/requests";
import { apiRoute, session } from "@/lib/web/api-route";

const address = z.email();

// GET ?email=<address>: an admin's download of everything held under an address (an ACCESS request, done, audited).
export const GET = apiRoute({ auth: session("users:manage") }, async ({ request, db, caller }) => {
  const emailKey = privacyKey(request.nextUrl.searchParams.get("email") ?? "");
  if (!address.safeParse(emailKey).success) throw new EdgeRefusal(400, "invalid_email");
  const data = await exportForOrganiser(db, emailKey, caller, new Date());
  return download(JSON.stringify(data, null, 2), {
    filename: `guichet-data-${new Date().toISOString().slice(0, 10)}.json`,
    contentType: "application/json; charset=utf-8",
    private: true,
  });
});
