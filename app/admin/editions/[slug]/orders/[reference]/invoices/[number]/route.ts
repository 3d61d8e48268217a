import { getEditionForOrganisers } from "@/lib/editions/admin-queries";
import { download } from "@/lib/http/download";
import { EdgeRefusal } from "@/lib/http/edge";
import { invoiceFormatOf, orderInvoiceFile } from "@/lib/orders/invoices";
import { apiRoute, session } from "@/lib/web/api-route";

// GET ?format=xml: one of an order's invoices or credit notes, for organisers.
export const GET = apiRoute(
  { auth: session("exports:read"), edition: { find: getEditionForOrganisers } },
  async ({ request, params, db, edition }) => {
    const order = await db.order.findFirst({
      where: { editionId: edition.id, reference: String(params.reference) },
      select: { id: true },
    });
    const format = invoiceFormatOf(request.nextUrl.searchParams.get("format"));
    const file = order && (await orderInvoiceFile(db, order.id, String(params.number), format));
    if (!file) throw new EdgeRefusal(404, "not_found");
    return download(file.body, { filename: file.filename, contentType: file.contentType, private: true });
  },
);
