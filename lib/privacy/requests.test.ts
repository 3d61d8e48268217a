import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import { createEdition } from "@/devtools/testing/fixtures";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { upsertUser } from "@/lib/auth/users";
import { emailHash } from "@/lib/messages/opt-out";
import { deliverOutboxEmail } from "@/lib/notifications/deliver";
import { registerAttendee } from "@/lib/orders/register";
import { exportForOrganiser } from "./export";
import { handledRequests, openRequests, refuseRequest, requestErasure } from "./requests";

const { db } = await useTestDatabase();
const { smtp, deps } = await useDirectDelivery(db);
const admin = await upsertUser(db, { email: "dpo@example.org", role: "ADMIN" });

const to = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : "");
const refusalsTo = (address: string) =>
  db.emailOutbox.findMany({ where: { kind: "privacy_request_refused", toAddress: address } });

describe("data requests", () => {
  it("are refused once, with a note, keeping the address's hash only", async () => {
    const key = `${randomUUID()}@example.org`;
    const { id } = await db.$transaction((tx) => requestErasure(tx, key, new Date()));
    expect((await openRequests(db)).map((request) => request.email)).toContain(key);
    expect(await refuseRequest(db, id, admin, "Not the address we wrote to", new Date())).toEqual({ ok: true });
    expect(await refuseRequest(db, id, admin, "again", new Date())).toEqual({ ok: false, reason: "not_open" });
    expect(await db.privacyRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "REFUSED",
      email: null,
      emailHash: emailHash(key),
      note: "Not the address we wrote to",
      completedById: admin.id,
    });
    expect((await openRequests(db)).map((request) => request.email)).not.toContain(key);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "privacy.request_refused", subjectId: id } });
    expect(JSON.stringify(audit)).not.toContain(key);

    // The person who asked is told once, in French when we know nothing of their language, with the note and the CNIL.
    const told = await refusalsTo(key);
    expect(told).toMatchObject([{ locale: "fr", payload: { kind: "ERASURE", note: "Not the address we wrote to" } }]);
    expect(await deliverOutboxEmail(deps, told[0].id)).toBe("sent");
    const mail = smtp.messages.find((message) => to(message) === key)!;
    expect(mail.subject).toBe("Votre demande concernant vos données");
    expect(mail.text).toContain("votre demande d’effacement de vos données");
    expect(mail.text).toContain("Not the address we wrote to");
    expect(mail.text).toContain("https://www.cnil.fr/fr/plaintes");
  });

  it("tells a refusal in the language of the address's latest order", async () => {
    const address = `Grace.${randomUUID()}@Example.org`;
    const key = address.toLowerCase();
    const edition = await createEdition(db, { capacity: 10 });
    const registered = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee: { firstName: "Grace", lastName: "Hopper", email: address }, locale: "en" },
      { holdMinutes: 35 },
    );
    if (!registered.ok) throw new Error(JSON.stringify(registered));
    const request = await db.privacyRequest.create({
      data: { kind: "ACCESS", email: key, emailHash: emailHash(key), via: "attendee" },
    });
    expect(await refuseRequest(db, request.id, admin, "We hold nothing more than your ticket", new Date())).toEqual({
      ok: true,
    });
    const [told] = await refusalsTo(key);
    expect(told).toMatchObject({ locale: "en", payload: { kind: "ACCESS" } });
    expect(await deliverOutboxEmail(deps, told.id)).toBe("sent");
    const mail = smtp.messages.find((message) => to(message) === key)!;
    expect(mail.subject).toBe("Your request about your data");
    expect(mail.text).toContain("your request for a copy of your data");
    expect(mail.text).toContain("We hold nothing more than your ticket");
    expect(mail.text).toContain("https://www.cnil.fr/en/contact-cnil");
  });

  it("an organiser's download records the access request done, closing an open one", async () => {
    const key = `${randomUUID()}@example.org`;
    await db.privacyRequest.create({
      data: { kind: "ACCESS", email: key, emailHash: emailHash(key), via: "attendee" },
    });
    expect(await exportForOrganiser(db, key, admin, new Date())).toMatchObject({ address: key, orders: [] });
    const other = `${randomUUID()}@example.org`;
    await exportForOrganiser(db, other, admin, new Date());
    const requests = await db.privacyRequest.findMany({
      where: { emailHash: { in: [emailHash(key), emailHash(other)] } },
      orderBy: { requestedAt: "asc" },
    });
    expect(requests).toMatchObject([
      { kind: "ACCESS", status: "DONE", via: "attendee", email: null },
      { kind: "ACCESS", status: "DONE", via: "organiser", email: null },
    ]);
    expect(await db.auditEntry.count({ where: { action: "privacy.exported" } })).toBe(2);
  });

  it("handled ones are listed latest first, with who answered and the note, never the address", async () => {
    // Handled after the other tests' requests (handled now): the list's first two.
    const refused = `${randomUUID()}@example.org`;
    const { id } = await db.$transaction((tx) => requestErasure(tx, refused, new Date("2030-11-02T10:00:00Z")));
    await refuseRequest(db, id, admin, "Asked from an address we never wrote to", new Date("2030-11-03T10:00:00Z"));
    const exported = `${randomUUID()}@example.org`;
    await exportForOrganiser(db, exported, admin, new Date("2030-11-04T10:00:00Z"));
    const [latest, before] = await handledRequests(db, 2);
    expect([latest, before]).toMatchObject([
      { kind: "ACCESS", status: "DONE", via: "organiser", completedBy: { email: "dpo@example.org" } },
      { id, kind: "ERASURE", status: "REFUSED", note: "Asked from an address we never wrote to" },
    ]);
    expect(JSON.stringify([latest, before])).not.toMatch(new RegExp(`${refused}|${exported}`));
  });
});
