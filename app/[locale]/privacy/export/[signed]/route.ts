import { db } from "@/lib/db/prisma";
import { privacyExportAddressOf } from "@/lib/email/privacy-link";
import { env } from "@/lib/env";
import { download } from "@/lib/http/download";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { emailLinkKeyFrom } from "@/lib/messages/opt-out";
import { exportAddress } from "@/lib/privacy/export";
import { appNow } from "@/lib/time/clock";

export const dynamic = "force-dynamic";

// The link of a "my data" email: everything held under the address it was signed for, as a JSON file.
export const GET = edgeRoute<{ locale: string; signed: string }>(async (_request, { signed }) => {
  const key = emailLinkKeyFrom(env());
  const emailKey = key ? privacyExportAddressOf(key, signed, appNow()) : null;
  if (!emailKey) throw new EdgeRefusal(404, "not_found");
  const data = await exportAddress(db(), emailKey);
  return download(JSON.stringify(data, null, 2), {
    filename: "guichet-data.json",
    contentType: "application/json; charset=utf-8",
    private: true,
  });
});
