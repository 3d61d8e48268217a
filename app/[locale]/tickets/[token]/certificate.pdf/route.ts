import { certificateFile } from "@/lib/certificates/documents";
import { db } from "@/lib/db/prisma";
import { download } from "@/lib/http/download";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { localeOr } from "@/lib/i18n/locales";
import { appNow } from "@/lib/time/clock";

export const GET = edgeRoute<{ locale: string; token: string }>(async (_request, { locale, token }) => {
  const file = await certificateFile(db(), { ticketToken: token }, appNow(), localeOr(locale));
  if (!file) throw new EdgeRefusal(404, "not_found");
  return download(new Uint8Array(file.pdf), { filename: file.filename, contentType: "application/pdf", private: true });
});
