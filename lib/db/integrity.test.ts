import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition } from "@/devtools/testing/fixtures";

const { db } = await useTestDatabase();

describe("database integrity checks", () => {
  it("refuses impossible editions and ticket types", async () => {
    await expect(createEdition(db, { capacity: -1 })).rejects.toThrow(/Edition_capacity_non_negative/);
    await expect(createEdition(db, { capacity: 5, ticketTypes: [{ code: "x", priceCents: -100 }] })).rejects.toThrow(
      /TicketType_price_non_negative/,
    );
    const now = new Date();
    await expect(
      createEdition(db, { capacity: 5, ticketTypes: [{ code: "x", salesStartAt: now, salesEndAt: now }] }),
    ).rejects.toThrow(/TicketType_sales_window_order/);
  });

  it("refuses a pending order that would hold its seat for ever", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const order = {
      reference: "TEST-0001",
      accessToken: "t".repeat(32),
      editionId: edition.id,
      buyerFirstName: "Ada",
      buyerLastName: "Lovelace",
      buyerEmail: "a@example.org",
      locale: "en",
      amountCents: 0,
      currency: "EUR",
    } as const;
    await expect(db.order.create({ data: { ...order, status: "PENDING" } })).rejects.toThrow(/Order_pending_has_hold/);
    await expect(db.order.create({ data: { ...order, status: "CONFIRMED" } })).rejects.toThrow(
      /Order_confirmed_has_time/,
    );
  });
});
