import { invoiceLedgerCsv } from "@/lib/exports/invoice-ledger";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { currentLocale } from "@/lib/i18n/page-locale";
import { apiRoute, session } from "@/lib/web/api-route";

// GET ?edition=<slug>: the accountant's export of every invoice and credit note, of one edition or of all.
export const GET = apiRoute({ auth: session("exports:read") }, async ({ request, db }) => {
  const slug = request.nextUrl.searchParams.get("edition");
  const edition = slug ? await db.edition.findUnique({ where: { slug }, select: { id: true, slug: true } }) : null;
  if (slug && !edition) throw new EdgeRefusal(404, "not_found");
  const body = invoiceLedgerCsv(db, { editionId: edition?.id ?? null, locale: await currentLocale() });
  const stamp = new Date().toISOString().slice(0, 10);
  return download(body, {
    filename: `${edition?.slug ?? "guichet"}-invoices-${stamp}.csv`,
    contentType: "text/csv; charset=utf-8",
  });
});
