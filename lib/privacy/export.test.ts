import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { recordScan } from "@/lib/checkin/scan";
import { emailHash } from "@/lib/messages/opt-out";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode } from "@/lib/tickets/codes";
import { privacyExportAddressOf } from "@/lib/email/privacy-link";
import { composeEmail } from "@/lib/notifications/renderers";
import { exportAddress } from "./export";
import { requestErasure } from "./requests";
import { askForErasure, emailMyData } from "./self-service";

const { db } = await useTestDatabase();
const { privateKey, publicKey } = generateKeyPairSync("ed25519");

describe("an address's export", () => {
  it("holds its orders, tickets with answers and scans, entries, emails, opt-out, requests, all editions", async () => {
    const address = `Ada.${randomUUID()}@Example.org`;
    const key = address.toLowerCase();
    const other = `grace.${randomUUID()}@example.org`;
    const first = await createEdition(db, {
      capacity: 10,
      questions: [{ key: "diet", type: "TEXT" }],
    });
    const group = await registerAttendee(
      db,
      first.slug,
      {
        buyer: { firstName: "Ada", lastName: "Lovelace", email: address },
        tickets: [
          { ticketType: "free", attendee: { firstName: "Ada", lastName: "Lovelace", email: address } },
          { ticketType: "free", attendee: { firstName: "Grace", lastName: "Hopper", email: other } },
        ],
        locale: "en",
      },
      { holdMinutes: 35 },
    );
    if (!group.ok) throw new Error(JSON.stringify(group));
    const second = await createEdition(db, { capacity: 10, questions: [{ key: "diet", type: "TEXT" }] });
    const solo = await registerAttendee(
      db,
      second.slug,
      {
        ticketType: "free",
        attendee: { firstName: "Ada", lastName: "Lovelace", email: address },
        answers: { diet: "vegan" },
        locale: "fr",
      },
      { holdMinutes: 35 },
    );
    if (!solo.ok) throw new Error(JSON.stringify(solo));
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: solo.order.id } });
    const code = signTicketCode({ ticketId: ticket.id, editionId: second.id, codeVersion: 1 }, privateKey);
    const scanner = { userId: null, apiTokenId: null };
    await recordScan(db, [{ publicKey }], second.id, scanner, {
      nonce: randomUUID(),
      deviceId: "door",
      offlineAdmitted: false,
      code,
    });
    await db.waitingListEntry.create({
      data: {
        editionId: first.id,
        name: "Ada",
        email: address,
        emailKey: key,
        locale: "en",
        seatsWanted: 1,
        token: randomUUID(),
      },
    });
    await db.emailOptOut.create({ data: { emailHash: emailHash(key), via: "page" } });
    await db.$transaction((tx) => requestErasure(tx, key, new Date()));

    const data = await exportAddress(db, key);

    expect(data.orders.map((order) => [order.edition.slug, order.reference, order.status])).toEqual([
      [first.slug, group.order.reference, "CONFIRMED"],
      [second.slug, solo.order.reference, "CONFIRMED"],
    ]);
    expect(data.orders[0].tickets).toEqual([
      { position: 1, type: { code: "free", name: { fr: "free", en: "free" } }, status: "ACTIVE" },
      { position: 2, type: { code: "free", name: { fr: "free", en: "free" } }, status: "ACTIVE" },
    ]);
    expect(data.tickets).toHaveLength(2);
    expect(data.tickets[1]).toMatchObject({
      edition: { slug: second.slug },
      holder: { firstName: "Ada", email: key },
      answers: [{ question: { fr: "diet", en: "diet" }, answer: "vegan" }],
      scans: [{ result: "ADMITTED", scannedAt: expect.any(Date) }],
    });
    expect(data.waitingList).toMatchObject([{ edition: { slug: first.slug }, status: "WAITING" }]);
    expect(data.emails.length).toBeGreaterThan(0);
    expect(data.emails[0]).toEqual({
      kind: expect.any(String),
      createdAt: expect.any(Date),
      sentAt: null,
      status: "PENDING",
    });
    expect(data.optedOutOfNews).toBe(true);
    expect(data.requests).toMatchObject([{ kind: "ERASURE", status: "OPEN" }]);
    // Others' tickets in its orders: what they are, never who holds them.
    const text = JSON.stringify(data);
    expect(text).not.toContain("Grace");
    expect(text).not.toContain(other);
  });

  it("is empty for an address Guichet does not know", async () => {
    expect(await exportAddress(db, `nobody.${randomUUID()}@example.org`)).toMatchObject({
      orders: [],
      tickets: [],
      waitingList: [],
      emails: [],
      messages: [],
      optedOutOfNews: false,
      requests: [],
    });
  });
});

describe("from a private page", () => {
  const linkKey = "test-email-link-key";

  it("emails the page's address a link signed for 24 hours, three times a day", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const address = `Ada.${randomUUID()}@example.org`;
    const placed = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee: { firstName: "Ada", lastName: "L", email: address }, locale: "en" },
      { holdMinutes: 35 },
    );
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const link = { page: "order" as const, token: placed.order.accessToken };
    const now = new Date();
    for (let i = 0; i < 3; i += 1) expect(await emailMyData(db, link, "fr", now)).toBe("export_sent");
    expect(await emailMyData(db, link, "fr", now)).toBe("export_limited");
    expect(await emailMyData(db, { page: "ticket", token: "x".repeat(32) }, "fr", now)).toBe("not_found");

    const sent = await db.emailOutbox.findMany({ where: { kind: "privacy_export" } });
    expect(sent.map((email) => email.toAddress)).toEqual(Array(3).fill(address.toLowerCase()));
    const composed = await composeEmail(
      { db, appUrl: "http://app.test", signingKey: privateKey, emailLinkKey: linkKey, now: () => now },
      { ...sent[0], order: null },
    );
    if (composed === "missing" || !("send" in composed)) throw new Error("not sent");
    const url = /http:\/\/app\.test\/fr\/privacy\/export\/(\S+)/.exec(String(composed.send.text))?.[1];
    const token = decodeURIComponent(url ?? "");
    expect(privacyExportAddressOf(linkKey, token, now)).toBe(address.toLowerCase());
    expect(privacyExportAddressOf(linkKey, token, new Date(now.getTime() + 25 * 3600_000))).toBeNull();
    expect(privacyExportAddressOf("another key", token, now)).toBeNull();
  });

  it("records one open erasure request however often it is asked, and tells the organisers once", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const address = `${randomUUID()}@example.org`;
    const placed = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee: { firstName: "Ada", lastName: "L", email: address }, locale: "en" },
      { holdMinutes: 35 },
    );
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const link = { page: "order" as const, token: placed.order.accessToken };
    const asked = { mailFrom: "Guichet <organisers@example.org>", locale: "en" as const, now: new Date() };
    expect(await askForErasure(db, link, asked)).toBe("erasure_requested");
    expect(await askForErasure(db, link, asked)).toBe("erasure_requested");
    const requests = await db.privacyRequest.findMany({ where: { email: address } });
    expect(requests).toMatchObject([{ kind: "ERASURE", status: "OPEN", via: "attendee" }]);
    const told = await db.emailOutbox.findMany({ where: { kind: "privacy_erasure_request" } });
    expect(told.map((email) => email.toAddress)).toEqual(["organisers@example.org"]);
    expect(JSON.stringify(told)).not.toContain(address);
  });
});
