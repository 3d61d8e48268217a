import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { refundOrder } from "@/lib/payments/refunds";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { readBackgroundWork } from "./background";
import { sweepIntervalsMs } from "./sweeps";

const { db } = await useTestDatabase();
const { stripe, faults, payOrder } = await useLocalStripe();
const now = new Date();
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const intervalsMs = sweepIntervalsMs({
  HOLD_SWEEP_SECONDS: 30,
  SLOW_SWEEP_SECONDS: 600,
  BLOCK_RELEASE_SECONDS: 30,
  WAITLIST_SWEEP_SECONDS: 30,
  MESSAGE_SWEEP_SECONDS: 15,
});

async function paidOrder(slug: string) {
  const result = await registerAttendee(db, slug, attendeeRequest("paid", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  await payOrder(db, result.order.id);
  return result.order;
}

describe("readBackgroundWork", () => {
  it("reads the email queue's trouble, unfinished refunds, each sweep's last run and unhandled webhooks", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
    const order = await paidOrder(edition.slug);
    const email = (status: "FAILED" | "PENDING" | "SENT", queuedAt: Date, kind = "order_confirmation") =>
      db.emailOutbox.create({
        data: {
          dedupeKey: `test:${randomUUID()}`,
          kind,
          orderId: order.id,
          toAddress: "ada@example.org",
          locale: "en",
          status,
          queuedAt,
          lastError: status === "FAILED" ? "550 Mailbox unavailable" : null,
        },
      });
    const failed = await email("FAILED", ago(60));
    await email("FAILED", ago(8 * 24 * 60));
    const waiting = await email("PENDING", ago(20));
    await email("PENDING", ago(5));
    await email("PENDING", ago(60), "message");
    await email("SENT", ago(60));

    const refunded = await paidOrder(edition.slug);
    faults.failRefunds = true;
    try {
      await refundOrder(db, stripe, refunded.id, { reason: "organiser" });
    } finally {
      faults.failRefunds = false;
    }
    const orphan = { reason: "unknown_order", amountCents: 4900, currency: "eur" };
    await db.orphanPayment.createMany({
      data: [
        { ...orphan, stripeEventId: "evt_o1", sessionId: "cs_o1", paymentIntentId: "pi_o1", status: "REQUIRES_ACTION" },
        { ...orphan, stripeEventId: "evt_o2", sessionId: "cs_o2", paymentIntentId: "pi_o2", status: "CANCELED" },
      ],
    });

    const run = { instance: "host:3000", lastStartedAt: ago(1) };
    await db.sweepRun.createMany({
      data: [
        { ...run, name: "holds", lastFinishedAt: ago(1), lastOkAt: ago(1) },
        // Failing for three of its intervals (30 s each) and a little more.
        { ...run, name: "refunds", lastFinishedAt: ago(1), lastOkAt: ago(1.6), lastError: "Error: injected" },
        { ...run, name: "retention", lastFinishedAt: null, lastOkAt: null },
        { ...run, name: "from-a-newer-release", lastFinishedAt: ago(1), lastOkAt: ago(600) },
      ],
    });
    const failure = { type: "checkout.session.completed", lastError: "Error: connection lost" };
    await db.stripeEventFailure.createMany({
      data: [
        { ...failure, eventId: "evt_unhandled", attempts: 3 },
        { ...failure, eventId: "evt_handled_since" },
      ],
    });
    await db.stripeEvent.create({ data: { id: "evt_handled_since", type: failure.type } });

    const work = await readBackgroundWork(db, { now, intervalsMs });

    expect(work.email.failed).toEqual({
      count: 1,
      rows: [
        expect.objectContaining({
          id: failed.id,
          status: "FAILED",
          lastError: "550 Mailbox unavailable",
          edition: { nameFr: edition.nameFr, nameEn: edition.nameEn },
          order: { reference: order.reference, editionSlug: edition.slug },
        }),
      ],
    });
    expect(work.email.waiting.count).toBe(1);
    expect(work.email.waiting.rows.map((row) => row.id)).toEqual([waiting.id]);
    const created = work.email.depth.find((row) => row.queue === "email.send" && row.state === "created");
    expect(created?.jobs).toBeGreaterThanOrEqual(1);
    expect(work.email.depth).toHaveLength(6);

    expect(work.refunds.count).toBe(2);
    expect(work.refunds.rows.map((row) => [row.kind, row.status, row.order?.reference ?? null])).toEqual([
      ["refund", "PENDING", refunded.reference],
      ["orphan", "REQUIRES_ACTION", null],
    ]);

    expect(work.sweeps.map((sweep) => [sweep.name, sweep.late])).toEqual([
      ["from-a-newer-release", false],
      ["holds", false],
      ["refunds", true],
      ["retention", true],
      // This release's other sweeps, not run yet: listed, never late.
      ["transfer-reminders", false],
      ["blocks", false],
      ["offers", false],
      ["unnamed-reminders", false],
      ["messages", false],
      ["email-redrive", false],
    ]);
    expect(work.sweeps.find((sweep) => sweep.name === "blocks")).toMatchObject({ instance: null, lastStartedAt: null });
    expect(work.sweeps.find((sweep) => sweep.name === "refunds")).toMatchObject({
      everyMs: 30_000,
      instance: "host:3000",
      lastError: "Error: injected",
    });

    expect(work.webhooks).toEqual([expect.objectContaining({ eventId: "evt_unhandled", attempts: 3 })]);
  });
});
