import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { recordScan } from "@/lib/checkin/scan";
import { emailHash } from "@/lib/messages/opt-out";
import { registerAttendee } from "@/lib/orders/register";
import { signTicketCode } from "@/lib/tickets/codes";
import { exportAddress } from "./export";
import { requestErasure } from "./requests";

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
    await recordScan(db, publicKey, second.id, scanner, {
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
