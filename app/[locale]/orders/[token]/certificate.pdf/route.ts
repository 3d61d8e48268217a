import { certificateFile } from "@/lib/certificates/documents";
import { db } from "@/lib/db/prisma";
import { download } from "@/lib/http/download";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { localeOr } from "@/lib/i18n/locales";
import { appNow } from "@/lib/time/clock";

// ?position=N: the buyer collects each eligible ticket's certificate of their order (a team's, for its employer).
export const GET = edgeRoute<{ locale: string; token: string }>(async (request, { locale, token }) => {
  const position = request.nextUrl.searchParams.get("position") ?? "";
  if (!/^[1-9]\d{0,3}$/.test(position)) throw new EdgeRefusal(404, "not_found");
  const of = { orderToken: token, position: Number(position) };
  const file = await certificateFile(db(), of, appNow(), localeOr(locale));
  if (!file) throw new EdgeRefusal(404, "not_found");
  return download(new Uint8Array(file.pdf), { filename: file.filename, contentType: "application/pdf", private: true });
});
