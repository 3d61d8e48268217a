import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { upsertUser } from "@/lib/auth/users";
import { edgeRoute } from "@/lib/http/edge";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { registerAttendee } from "@/lib/orders/register";
import { confirmTransfer } from "@/lib/payments/transfer";
import { companyBilling, createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { pdfText } from "@/devtools/testing/pdf-text";
import { useTestDatabase } from "@/devtools/testing/test-database";

const { db, url } = await useTestDatabase();
// The download reaches the database through the app's `db()`: point it at this file's database.
process.env.DATABASE_URL = url;
const { quoteDownload } = await import("./quote-download");

// As app/[locale]/orders/[token]/quote/route.ts and app/[locale]/pay/[payToken]/quote/route.ts wrap it.
const byOrderLink = edgeRoute<{ token: string }>((_request, { token }) =>
  quoteDownload({ accessToken: token }, `/fr/orders/${token}`),
);
const byPayLink = edgeRoute<{ payToken: string }>((_request, { payToken }) =>
  quoteDownload({ payToken }, `/fr/pay/${payToken}`),
);
const get = <P extends Record<string, string>>(route: ReturnType<typeof edgeRoute<P>>, params: P) =>
  route(new NextRequest("http://app.test/fr/quote"), { params: Promise.resolve(params) });

describe("the quote's downloads", () => {
  it("answer the PDF to either link, else send the reader to the link's page, which says why", async () => {
    const admin = await upsertUser(db, { email: "admin@example.org", role: "ADMIN" });
    expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
    const created = await createEdition(db, { capacity: 5, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const edition = await db.edition.update({ where: { id: created.id }, data: { transferDays: 14 } });
    const buyer = { firstName: "Ada", lastName: "Office", email: "ada@acme.example" };
    const body = { buyer, tickets: [{ ticketType: "paid", attendee: buyer }], locale: "fr", paymentMethod: "transfer" };
    const placed = await registerAttendee(db, edition.slug, { ...body, billing: companyBilling }, { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.order.id } });

    for (const response of [
      await get(byOrderLink, { token: order.accessToken }),
      await get(byPayLink, { payToken: order.payToken ?? "" }),
    ]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="devis-${order.reference}.pdf"`);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      expect(pdfText(Buffer.from(await response.arrayBuffer()))).toContain("Devis – facture pro forma");
    }

    const unknown = await get(byPayLink, { payToken: "y".repeat(32) });
    expect([unknown.status, unknown.headers.get("location")]).toEqual([303, `/fr/pay/${"y".repeat(32)}`]);

    const transfer = { orderId: order.id, amountCents: order.amountCents, currency: "EUR", recordedBy: "treasurer" };
    expect(await confirmTransfer(db, { ...transfer, receivedOn: new Date() }, new Date())).toMatchObject({ ok: true });
    const gone = await get(byOrderLink, { token: order.accessToken });
    expect([gone.status, gone.headers.get("location")]).toEqual([303, `/fr/orders/${order.accessToken}`]);
  });
});
