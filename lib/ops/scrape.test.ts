import { randomUUID } from "node:crypto";
import type { Gauge } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { refundOrder } from "@/lib/payments/refunds";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { metrics } from "@/lib/metrics/registry";
import { scrapeMetrics } from "./scrape";

const { db } = await useTestDatabase();
const { stripe, faults, payOrder } = await useLocalStripe();

async function gauge(metric: Gauge<string>, labels: Record<string, string>): Promise<number | undefined> {
  const { values } = await metric.get();
  return values.find((value) => Object.entries(labels).every(([name, label]) => value.labels[name] === label))?.value;
}

async function register(slug: string, ticketType: "free" | "paid") {
  const result = await registerAttendee(db, slug, attendeeRequest(ticketType, randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  return result.order;
}

describe("scrapeMetrics", () => {
  it("sets seats left and holds per open edition, email jobs per queue and state, refunds not finished", async () => {
    const ticketTypes = [{ code: "free" }, { code: "paid", priceCents: 4900 }];
    const open = await createEdition(db, { capacity: 10, ticketTypes });
    const closing = await createEdition(db, { capacity: 10, ticketTypes });
    const draft = await createEdition(db, { capacity: 10, status: "DRAFT", ticketTypes });
    await register(open.slug, "free");
    await register(open.slug, "paid");
    await register(closing.slug, "free");
    const paid = await register(open.slug, "paid");
    await payOrder(db, paid.id);
    faults.failRefunds = true;
    try {
      await refundOrder(db, stripe, paid.id, { reason: "organiser" });
    } finally {
      faults.failRefunds = false;
    }
    const orphan = { reason: "unknown_order", amountCents: 4900, currency: "eur" };
    await db.orphanPayment.createMany({
      data: [
        { ...orphan, stripeEventId: "evt_1", sessionId: "cs_1", paymentIntentId: "pi_1", status: "FAILED" },
        { ...orphan, stripeEventId: "evt_2", sessionId: "cs_2", paymentIntentId: "pi_2", status: "SUCCEEDED" },
      ],
    });

    const { seatsLeft, holds, emailQueueDepth, refundsPending } = metrics();
    expect(await scrapeMetrics(db)).toContain(`guichet_seats_left{edition="${closing.slug}"} 9`);
    // The free order confirmed, the first paid one held, the refunded one's seat back on sale.
    expect(await gauge(seatsLeft, { edition: open.slug })).toBe(8);
    expect(await gauge(holds, { edition: open.slug })).toBe(1);
    expect(await gauge(holds, { edition: closing.slug })).toBe(0);
    expect(await gauge(seatsLeft, { edition: draft.slug })).toBeUndefined();
    const queued = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'email.send' AND state = 'created'`;
    expect(queued[0].n).toBeGreaterThanOrEqual(3);
    expect(await gauge(emailQueueDepth, { queue: "email.send", state: "created" })).toBe(queued[0].n);
    expect(await gauge(emailQueueDepth, { queue: "email.bulk", state: "active" })).toBe(0);
    expect(await gauge(refundsPending, { kind: "refund" })).toBe(1);
    expect(await gauge(refundsPending, { kind: "orphan" })).toBe(1);

    // Closed since the last scrape: gone from the seat gauges, not stuck at its last value.
    await db.edition.update({ where: { id: closing.id }, data: { status: "CLOSED" } });
    const text = await scrapeMetrics(db);
    expect(text).not.toContain(`guichet_seats_left{edition="${closing.slug}"}`);
    expect(text).not.toContain(`guichet_holds{edition="${closing.slug}"}`);
    expect(await gauge(seatsLeft, { edition: open.slug })).toBe(8);
  });
});
