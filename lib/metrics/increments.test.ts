import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { Counter } from "prom-client";
import { describe, expect, it } from "vitest";
import { recordScan } from "@/lib/checkin/scan";
import { deliverOutboxEmail } from "@/lib/notifications/deliver";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode } from "@/lib/tickets/codes";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { metrics } from "./registry";

// Each counter is read before and after the real call: the registry is the process's, shared by every test here.
const { db } = await useTestDatabase();
const { smtp, deps } = await useDirectDelivery(db);
const { privateKey, publicKey } = generateKeyPairSync("ed25519");

async function count(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const matches = (seen: Record<string, unknown>) =>
    Object.keys(seen).length === Object.keys(labels).length &&
    Object.entries(labels).every(([name, value]) => seen[name] === value);
  return values.find((value) => matches(value.labels))?.value ?? 0;
}

async function increase(counter: Counter<string>, labels: Record<string, string>, act: () => Promise<unknown>) {
  const before = await count(counter, labels);
  await act();
  return (await count(counter, labels)) - before;
}

const register = (slug: string, name: string, options: { idempotencyKey?: string } = {}) =>
  registerAttendee(db, slug, attendeeRequest("free", name), { holdMinutes: 35, ...options });

describe("guichet_registrations_total", () => {
  it("counts placed orders, replays, refusals by reason, and unknown editions without their slug", async () => {
    const edition = await createEdition(db, { capacity: 1 });
    const { slug } = edition;
    const registrations = metrics().registrations;
    const key = randomUUID();
    const first = () => register(slug, "first", { idempotencyKey: key });
    expect(await increase(registrations, { edition: slug, outcome: "placed" }, first)).toBe(1);
    expect(await increase(registrations, { edition: slug, outcome: "replayed" }, first)).toBe(1);
    const second = () => register(slug, "second");
    expect(await increase(registrations, { edition: slug, outcome: "sold_out" }, second)).toBe(1);
    const bad = () => registerAttendee(db, slug, { ticketType: "free" }, { holdMinutes: 35 });
    expect(await increase(registrations, { edition: slug, outcome: "invalid" }, bad)).toBe(1);
    const madeUp = `no-such-edition-${randomUUID()}`;
    const unknown = () => register(madeUp, "x");
    expect(await increase(registrations, { edition: "unknown", outcome: "not_found" }, unknown)).toBe(1);
    expect(await count(registrations, { edition: madeUp, outcome: "not_found" })).toBe(0);
  });
});

describe("guichet_checkin_scans_total", () => {
  it("counts each scan by edition slug, result and mode, and a replayed upload once", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const result = await register(edition.slug, "door");
    if (!result.ok) throw new Error(result.reason);
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
    const code = signTicketCode({ ticketId: ticket.id, editionId: edition.id, codeVersion: 1 }, privateKey);
    const scans = metrics().checkinScans;
    const scan = (request: { code?: string; ticketId?: string; nonce?: string; offlineAdmitted?: boolean }) =>
      recordScan(
        db,
        [{ publicKey }],
        edition.id,
        { userId: null, apiTokenId: null },
        {
          nonce: randomUUID(),
          deviceId: "door-1",
          offlineAdmitted: false,
          ...request,
        },
      );
    const admittedOffline = { edition: edition.slug, result: "admitted", mode: "offline" };
    const nonce = randomUUID();
    expect(await increase(scans, admittedOffline, () => scan({ code, nonce, offlineAdmitted: true }))).toBe(1);
    // The same upload again (a retry): replayed, counted once.
    expect(await increase(scans, admittedOffline, () => scan({ code, nonce, offlineAdmitted: true }))).toBe(0);
    const again = { edition: edition.slug, result: "already_checked_in", mode: "online" };
    expect(await increase(scans, again, () => scan({ code }))).toBe(1);
    const unknown = { edition: edition.slug, result: "unknown", mode: "online" };
    expect(await increase(scans, unknown, () => scan({ ticketId: randomUUID() }))).toBe(1);
  });
});

describe("guichet_emails_total", () => {
  it("counts a sent email, a retry and a refusal for good, by queue", async () => {
    const emails = metrics().emails;
    const outboxOf = async (name: string) => {
      const edition = await createEdition(db, { capacity: 5 });
      const result = await register(edition.slug, name);
      if (!result.ok) throw new Error(result.reason);
      return (await db.emailOutbox.findFirstOrThrow({ where: { orderId: result.order.id } })).id;
    };
    const sent = { queue: "email.send", outcome: "sent" };
    const delivered = await outboxOf("mail-sent");
    expect(await increase(emails, sent, () => deliverOutboxEmail(deps, delivered))).toBe(1);
    // Sent already: nothing is attempted, nothing counted.
    expect(await increase(emails, sent, () => deliverOutboxEmail(deps, delivered))).toBe(0);

    const retried = await outboxOf("mail-retry");
    smtp.failNext(1);
    const retry = { queue: "email.send", outcome: "retry" };
    expect(await increase(emails, retry, () => deliverOutboxEmail(deps, retried).catch(() => "thrown"))).toBe(1);
    smtp.failNext(1, 550);
    const failed = { queue: "email.send", outcome: "failed" };
    expect(await increase(emails, failed, () => deliverOutboxEmail(deps, retried))).toBe(1);
  });
});
