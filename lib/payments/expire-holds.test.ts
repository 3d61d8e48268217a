import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { startCheckout } from "./checkout";
import { expireLapsedHolds } from "./expire-holds";
import { registerAttendee } from "@/lib/orders/register";

const { db } = await useTestDatabase();
const { stripe } = await useLocalStripe();

describe("expireLapsedHolds", () => {
  it("marks lapsed holds expired and closes their checkout sessions, leaving live ones alone", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 1500 }] });
    const lapsed = await registerAttendee(db, edition.slug, attendeeRequest("paid", "lapsed"), { holdMinutes: 35 });
    const live = await registerAttendee(db, edition.slug, attendeeRequest("paid", "live"), { holdMinutes: 120 });
    if (!lapsed.ok || !live.ok) throw new Error("registration failed");
    const checkout = await startCheckout(db, stripe, lapsed.order.id, { appUrl: "http://app.test" });
    expect(checkout.ok).toBe(true);

    const later = new Date(Date.now() + 60 * 60_000);
    expect(await expireLapsedHolds(db, stripe, later)).toBe(1);
    const order = await db.order.findUniqueOrThrow({ where: { id: lapsed.order.id } });
    expect(order).toMatchObject({ status: "EXPIRED", statusReason: "hold_expired" });
    expect((await stripe.checkout.sessions.retrieve(order.paymentReference!)).status).toBe("expired");
    expect((await db.order.findUniqueOrThrow({ where: { id: live.order.id } })).status).toBe("PENDING");
    expect(await expireLapsedHolds(db, stripe, later)).toBe(0);
  });
});
