import { db } from "@/lib/db/prisma";
import { download } from "@/lib/http/download";
import { EdgeRefusal, edgeRoute } from "@/lib/http/edge";
import { getOrderByAccessToken } from "@/lib/orders/queries";
import { invoiceFormatOf, orderInvoiceFile } from "@/lib/orders/invoices";

// GET ?format=xml: one of the order's invoices or credit notes, for whoever holds the order's private link.
export const GET = edgeRoute<{ locale: string; token: string; number: string }>(async (request, { token, number }) => {
  const order = await getOrderByAccessToken(db(), token);
  const file =
    order &&
    (await orderInvoiceFile(db(), order.id, number, invoiceFormatOf(request.nextUrl.searchParams.get("format"))));
  if (!file) throw new EdgeRefusal(404, "not_found");
  return download(file.body, { filename: file.filename, contentType: file.contentType, private: true });
});
