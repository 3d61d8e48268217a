import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser, registerTicket } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { bulkSelectionSchema, cancelAttendees, MAX_BULK_TICKETS, resendConfirmations } from "./bulk";

const { db } = await useTestDatabase();
const { stripe, payOrder } = await useLocalStripe();

describe("bulk actions on a selection of attendees", () => {
  it("takes between one and the maximum number of ticket ids", () => {
    const editionId = crypto.randomUUID();
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: [] }).success).toBe(false);
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: ["not-a-uuid"] }).success).toBe(false);
    const tooMany = Array.from({ length: MAX_BULK_TICKETS + 1 }, () => crypto.randomUUID());
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: tooMany }).success).toBe(false);
    expect(bulkSelectionSchema.safeParse({ editionId, ticketIds: tooMany.slice(1) }).success).toBe(true);
  });

  it("resends confirmations to confirmed attendees and says why the others were skipped", async () => {
    const actor = await createOrganiser(db);
    const edition = await createEdition(db, {
      capacity: 5,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    });
    const confirmed = [
      await registerTicket(db, edition.slug, "free", "a"),
      await registerTicket(db, edition.slug, "free", "b"),
    ];
    const held = await registerTicket(db, edition.slug, "paid", "held");
    const elsewhere = await registerTicket(db, (await createEdition(db, { capacity: 5 })).slug, "free", "other");
    const summary = await resendConfirmations(db, actor, {
      editionId: edition.id,
      ticketIds: [...confirmed.map((t) => t.id), held.id, elsewhere.id],
    });
    expect(summary).toEqual({ done: 2, skipped: { not_confirmed: 1, not_found: 1 } });
    expect(
      await db.auditEntry.count({ where: { editionId: edition.id, action: "attendee.confirmation_resent" } }),
    ).toBe(2);
  });

  it("cancels with or without refund through the organiser's own action", async () => {
    const actor = await createOrganiser(db);
    const edition = await createEdition(db, {
      capacity: 5,
      ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
    });
    const paid = await registerTicket(db, edition.slug, "paid", "paid");
    await payOrder(db, paid.orderId);
    const free = await registerTicket(db, edition.slug, "free", "free");
    expect(
      await cancelAttendees(
        db,
        stripe,
        actor,
        { editionId: edition.id, ticketIds: [paid.id, free.id] },
        { refund: true },
      ),
    ).toEqual({ done: 1, skipped: { not_refundable: 1 } });
    expect(await db.order.findUniqueOrThrow({ where: { id: paid.orderId } })).toMatchObject({ status: "REFUNDED" });
    expect(
      await cancelAttendees(
        db,
        stripe,
        actor,
        { editionId: edition.id, ticketIds: [paid.id, free.id] },
        { refund: false },
      ),
    ).toEqual({ done: 1, skipped: { not_confirmed: 1 } });
    expect(await db.order.findUniqueOrThrow({ where: { id: free.orderId } })).toMatchObject({
      status: "CANCELLED",
      statusReason: "organiser_cancelled",
    });
  });
});
