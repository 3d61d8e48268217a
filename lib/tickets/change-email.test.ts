import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { editAttendee } from "@/lib/attendees/manage";
import { createSmtpTransport } from "@/lib/notifications/worker";
import { deliverOutboxEmail } from "@/lib/notifications/deliver";
import { registerAttendee } from "@/lib/orders/register";
import { registrationRequestSchema } from "@/lib/orders/registration-request";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { holdRowLock, waitForLockWaiters } from "@/devtools/testing/row-locks";
import { startSmtpCapture } from "@/devtools/testing/smtp-capture";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { generateTicketSigningKey, ticketKeysFrom } from "./codes";
import { editAttendeeDetails } from "./self-service";

const { db } = await useTestDatabase();
const smtp = await startSmtpCapture();
afterAll(() => smtp.stop());
const keys = ticketKeysFrom(generateTicketSigningKey());
const delivery = {
  db,
  transport: createSmtpTransport(smtp.url),
  from: "Guichet <tickets@example.org>",
  appUrl: "http://app.test",
  signingKey: keys.privateKey,
};
const organiser = { id: "00000000-0000-4000-8000-000000000002", email: "organiser@example.org" };
const details = (email: string, firstName = "Ada") => ({
  attendee: { firstName, lastName: "Lovelace", email, company: "" },
  answers: {},
});

async function freeOrder(edition?: { id: string; slug: string }, locale: "fr" | "en" = "en") {
  const target = edition ?? (await createEdition(db, { capacity: 5 }));
  const request = attendeeRequest("free", randomUUID(), { locale });
  const result = await registerAttendee(db, target.slug, request, { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
  return { edition: target, order: result.order, ticket };
}

/** Sends every email still waiting for the order, as the worker would, and returns what arrived. */
async function deliverAll(orderId: string) {
  const before = smtp.messages.length;
  const where = { orderId, status: "PENDING" } as const;
  const pending = await db.emailOutbox.findMany({ where, orderBy: { createdAt: "asc" } });
  for (const email of pending) await deliverOutboxEmail(delivery, email.id);
  return { messages: smtp.messages.slice(before), envelopes: smtp.envelopes.slice(before) };
}

describe("internationalised email addresses", () => {
  it("are accepted wherever the one email schema is used, lower-cased; malformed ones still are not", () => {
    const email = (value: string) => registrationRequestSchema.shape.attendee.shape.email.safeParse(value);
    expect(email("JOSÉ@Exemple.fr")).toMatchObject({ success: true, data: "josé@exemple.fr" });
    expect(email("用户@例子.中国")).toMatchObject({ success: true });
    expect(email("zoë.o'neil+conf@dvořák.cz")).toMatchObject({ success: true });
    const malformed = ["ada@example", "zoe @example.org", "a..b@example.org", ".a@x.org", "a@-x.org", "a@b@x.org"];
    for (const bad of malformed) {
      expect(email(bad).success, bad).toBe(false);
    }
  });

  it("reach a local SMTP server, nodemailer asking for SMTPUTF8", async () => {
    const { order, ticket } = await freeOrder();
    expect(await editAttendeeDetails(db, order.accessToken, details("josé@exémple.fr"))).toMatchObject({ ok: true });
    const { messages, envelopes } = await deliverAll(order.id);
    const index = messages.findIndex((message) => message.subject?.startsWith("Your ticket for"));
    expect(envelopes[index]).toEqual({ rcptTo: ["josé@exémple.fr"], smtpUtf8: true });
    expect(envelopes.map((envelope) => envelope.rcptTo)).toContainEqual([ticket.email]);
  });
});

describe("an attendee corrects their email address", () => {
  it("moves the ticket and a new private link to the new address, tells the old one and audits it", async () => {
    const { order, ticket } = await freeOrder(undefined, "fr");
    const result = await editAttendeeDetails(db, order.accessToken, details("Ada@New.example"));
    expect(result).toEqual({ ok: true, emailChangedTo: "ada@new.example" });

    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { order: true } });
    expect(after).toMatchObject({
      email: "ada@new.example",
      codeVersion: ticket.codeVersion + 1,
      order: { buyerEmail: "ada@new.example" },
    });
    expect(after.order.accessToken).not.toBe(order.accessToken);
    // The old link is void: nothing more can be done from it.
    const again = await editAttendeeDetails(db, order.accessToken, details("ada@other.example"));
    expect(again).toEqual({ ok: false, reason: "not_found" });

    const { messages, envelopes } = await deliverAll(order.id);
    const to = (address: string) => messages[envelopes.findIndex((envelope) => envelope.rcptTo.includes(address))];
    const confirmation = to("ada@new.example");
    expect(confirmation.subject).toMatch(/^Votre billet pour /);
    expect(confirmation.text).toContain(`/fr/orders/${after.order.accessToken}`);
    const notice = to(ticket.email!);
    expect(notice.subject).toMatch(/: adresse e-mail modifiée$/);
    expect(notice.text).toContain("depuis son lien personnel");
    expect(notice.text).not.toContain("ada@new.example");
    // The first confirmation, still waiting, does not leave with the old link and code.
    const firstKey = `order-confirmation:${order.id}`;
    const first = await db.emailOutbox.findFirstOrThrow({ where: { orderId: order.id, dedupeKey: firstKey } });
    expect(first.status).toBe("SUPERSEDED");

    const audit = await db.auditEntry.findFirstOrThrow({ where: { subjectId: ticket.id } });
    expect(audit).toMatchObject({
      actorId: null,
      actorEmail: ticket.email,
      action: "attendee.edited",
      after: { email: "ada@new.example" },
    });
  });

  it("refuses an address that already holds a seat of the edition, changing nothing", async () => {
    const { edition, order, ticket } = await freeOrder();
    const other = await freeOrder(edition);
    const taken = await editAttendeeDetails(db, order.accessToken, details(other.ticket.email!));
    expect(taken).toEqual({ ok: false, reason: "already_registered" });
    const unchanged = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(unchanged).toMatchObject({ email: ticket.email, codeVersion: ticket.codeVersion });
    expect(await db.emailOutbox.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("is rate-limited per registration; saving other details is not", async () => {
    const { order } = await freeOrder();
    let token = order.accessToken;
    for (const n of [1, 2, 3]) {
      expect(await editAttendeeDetails(db, token, details(`ada.${n}@limit.example`))).toMatchObject({ ok: true });
      token = (await db.order.findUniqueOrThrow({ where: { id: order.id } })).accessToken;
    }
    const fourth = await editAttendeeDetails(db, token, details("ada.4@limit.example"));
    expect(fourth).toEqual({ ok: false, reason: "rate_limited" });
    expect(await editAttendeeDetails(db, token, details("ada.3@limit.example", "Augusta"))).toEqual({ ok: true });
  });

  it("checks one seat per email under the edition lock: of two tickets moved to one address, one gets it", async () => {
    const { edition, order } = await freeOrder();
    const other = await freeOrder(edition);
    const lock = await holdRowLock(db, "EditionSeats", edition.id, "NO KEY UPDATE");
    const both = Promise.all([
      editAttendeeDetails(db, order.accessToken, details("shared@example.org")),
      editAttendee(db, organiser, edition.id, other.ticket.id, details("shared@example.org")),
    ]);
    await waitForLockWaiters(db, 2);
    await lock.release();
    const reasons = (await both).map((result) => (result.ok ? "ok" : result.reason)).sort();
    expect(reasons).toEqual(["already_registered", "ok"]);
    expect(await db.ticket.count({ where: { editionId: edition.id, email: "shared@example.org" } })).toBe(1);
  });
});

describe("an organiser corrects an attendee's email address", () => {
  it("reissues the ticket to the new address, tells the old one and audits the change", async () => {
    const { edition, order, ticket } = await freeOrder();
    const result = await editAttendee(db, organiser, edition.id, ticket.id, details("fixed@example.org"));
    expect(result).toEqual({ ok: true, ticketId: ticket.id, emailChangedTo: "fixed@example.org" });
    const after = await db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after).toMatchObject({ buyerEmail: "fixed@example.org" });
    const { messages, envelopes } = await deliverAll(order.id);
    expect(envelopes.map((envelope) => envelope.rcptTo[0]).sort()).toEqual(["fixed@example.org", ticket.email].sort());
    const notice = messages[envelopes.findIndex((envelope) => envelope.rcptTo[0] === ticket.email)];
    expect(notice.text).toContain("The organisers of");
    const audit = await db.auditEntry.findFirstOrThrow({ where: { subjectId: ticket.id } });
    expect(audit).toMatchObject({
      actorEmail: organiser.email,
      before: { email: ticket.email },
      after: { email: "fixed@example.org" },
    });
  });

  it("changes the address of a confirmed registration only, and sends nothing when it stays the same", async () => {
    const { edition, order, ticket } = await freeOrder();
    const renamed = await editAttendee(db, organiser, edition.id, ticket.id, details(ticket.email!, "Augusta"));
    expect(renamed).toEqual({ ok: true, ticketId: ticket.id });
    expect(await db.emailOutbox.count({ where: { orderId: order.id } })).toBe(1);
    await db.order.update({ where: { id: order.id }, data: { status: "CANCELLED" } });
    const cancelled = await editAttendee(db, organiser, edition.id, ticket.id, details("late@example.org"));
    expect(cancelled).toEqual({ ok: false, reason: "not_confirmed" });
  });
});
