import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { editAttendee, resendConfirmation } from "@/lib/attendees/manage";
import { listAttendees, parseAttendeeFilter } from "@/lib/attendees/query";
import { recordScan } from "@/lib/checkin/scan";
import { accessTokenHash } from "@/lib/email/outbox";
import { composeEmail } from "@/lib/notifications/renderers";
import { getGrowth } from "@/lib/reports/growth";
import { getTicketByAccessToken } from "@/lib/orders/queries";
import { registerAttendee } from "@/lib/orders/register";
import { createEdition, createOrganiser, snapshotAsSent } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { signTicketCode } from "./codes";
import { nameTicket } from "./naming";
import { resendTicketLinks } from "./resend-link";
import { editAttendeeDetails, transferTicket } from "./self-service";

const { db } = await useTestDatabase(10);
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const verifyKeys = [{ publicKey }];
const HOLD = { holdMinutes: 35 };

const person = (tag: string) => ({
  firstName: "Ada",
  lastName: tag,
  email: `${tag}.${randomUUID().slice(0, 8)}@example.org`,
  company: "Acme",
});

/** A confirmed free group: two named attendees and an unnamed third ticket, bought by someone else. */
async function groupWithUnnamedThird(options: { allowNameLater?: boolean } = {}) {
  const edition = await createEdition(db, { capacity: 10 });
  if (options.allowNameLater === false) {
    await db.edition.update({ where: { id: edition.id }, data: { allowNameLater: false } });
  }
  const buyer = person("buyer");
  const body = {
    buyer,
    locale: "fr",
    tickets: [
      { ticketType: "free", attendee: person("first") },
      { ticketType: "free", attendee: person("second") },
      { ticketType: "free", attendee: null },
    ],
  };
  const result = await registerAttendee(db, edition.slug, body, HOLD);
  return { edition, buyer, result };
}

async function placedGroup() {
  const { edition, buyer, result } = await groupWithUnnamedThird();
  if (!result.ok) throw new Error(result.reason);
  const tickets = await db.ticket.findMany({ where: { orderId: result.order.id }, orderBy: { position: "asc" } });
  return { edition, buyer, order: result.order, tickets };
}

const codeOf = (ticket: { id: string; editionId: string; codeVersion: number }) =>
  signTicketCode({ ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion }, privateKey);

const scan = (editionId: string, code: string) =>
  recordScan(
    db,
    verifyKeys,
    editionId,
    { userId: null, apiTokenId: null },
    { nonce: randomUUID(), deviceId: "door-1", offlineAdmitted: false, code },
  );

const outbox = (orderId: string) =>
  db.emailOutbox.findMany({ where: { orderId }, orderBy: { createdAt: "asc" }, include: emailInclude });
const emailInclude = {
  order: {
    include: {
      edition: true,
      tickets: { include: { ticketType: true }, orderBy: { position: "asc" as const } },
      invoices: true,
    },
  },
};

describe("unnamed tickets through registerAttendee", () => {
  it("confirms a group with one email to its buyer and one to each named attendee, none for the unnamed", async () => {
    const { buyer, order, tickets } = await placedGroup();
    // Queued in one transaction, so in no particular order.
    const emails = await outbox(order.id);
    expect(emails.map((email) => [email.kind, email.toAddress, email.dedupeKey])).toEqual(
      expect.arrayContaining([
        ["order_confirmation", buyer.email, `order-confirmation:${order.id}`],
        ["ticket_issued", tickets[0].email, `ticket-issued:${tickets[0].id}:1`],
        ["ticket_issued", tickets[1].email, `ticket-issued:${tickets[1].id}:1`],
      ]),
    );
    expect(emails).toHaveLength(3);
    // "Lost my ticket" from an attendee's address sends their own ticket again, never the buyer's order.
    const slug = (await db.edition.findUniqueOrThrow({ where: { id: tickets[0].editionId } })).slug;
    await resendTicketLinks(db, { editionSlug: slug, email: tickets[0].email, clientKey: "ip-1" });
    const again = (await outbox(order.id)).filter((email) => email.dedupeKey.includes(":lost:"));
    expect(again.map((email) => [email.kind, email.toAddress])).toEqual([["ticket_issued", tickets[0].email]]);
  });

  it("places a ticket without an attendee where naming later is allowed: no name, email or link yet", async () => {
    const { result } = await groupWithUnnamedThird();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const tickets = await db.ticket.findMany({ where: { orderId: result.order.id }, orderBy: { position: "asc" } });
    expect(tickets.map((ticket) => [ticket.position, ticket.email === null, ticket.accessToken === null])).toEqual([
      [1, false, false],
      [2, false, false],
      [3, true, true],
    ]);
    expect(tickets[2]).toMatchObject({ firstName: null, lastName: null, company: null, status: "ACTIVE" });
    expect(new Set(tickets.slice(0, 2).map((ticket) => ticket.accessToken)).size).toBe(2);
  });

  it("counts an unnamed ticket's seat, but no attendee for it in the growth figures until it is named", async () => {
    const { edition } = await placedGroup();
    const figures = (await getGrowth(db)).find((row) => row.id === edition.id);
    expect(figures).toMatchObject({ registrations: 3, attendees: 2, newcomers: 2 });
  });

  it("asks the attendees named now the required questions, and nothing of a ticket named later", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      questions: [{ key: "coc", type: "CHECKBOX", required: true }],
    });
    const body = (answers: object) => ({
      buyer: person("buyer"),
      tickets: [
        { ticketType: "free", attendee: person("named"), answers },
        { ticketType: "free", attendee: null },
      ],
    });
    expect(await registerAttendee(db, edition.slug, body({}), HOLD)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "tickets.0.answers.coc": ["must_accept"] },
    });
    expect((await registerAttendee(db, edition.slug, body({ coc: true }), HOLD)).ok).toBe(true);
  });

  it("lists a team's tickets still to be named apart, for the organisers", async () => {
    const { edition, tickets } = await placedGroup();
    const listed = async (named: "yes" | "no") =>
      (await listAttendees(db, edition.id, parseAttendeeFilter({ named }))).rows.map((row) => row.id).sort();
    expect(await listed("no")).toEqual([tickets[2].id]);
    expect(await listed("yes")).toEqual([tickets[0].id, tickets[1].id].sort());
  });

  it("refuses an unnamed ticket where the organiser forbids it, at its attendee, placing nothing", async () => {
    const { edition, result } = await groupWithUnnamedThird({ allowNameLater: false });
    expect(result).toEqual({ ok: false, reason: "invalid", fieldErrors: { "tickets.2.attendee": ["required"] } });
    expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
  });
});

describe("naming and renaming from the buyer's link", () => {
  it("names an unnamed ticket: own link, new code, a ticket email to the attendee alone, audited", async () => {
    const { edition, buyer, order, tickets } = await placedGroup();
    const unnamedCode = codeOf(tickets[2]);
    const attendee = person("third");
    expect(await nameTicket(db, order.accessToken, { ticketId: tickets[2].id, attendee })).toEqual({ ok: true });

    const named = await db.ticket.findUniqueOrThrow({ where: { id: tickets[2].id } });
    expect(named).toMatchObject({ firstName: "Ada", lastName: "third", email: attendee.email, codeVersion: 2 });
    const own = await getTicketByAccessToken(db, named.accessToken!);
    expect(own?.id).toBe(named.id);
    // The QR the buyer could print while it was unnamed no longer admits; the attendee's does.
    expect(await scan(edition.id, unnamedCode)).toMatchObject({ result: "cancelled", reason: "reissued" });
    expect(await scan(edition.id, codeOf(named))).toMatchObject({ result: "admitted" });

    // The two attendees named at purchase had theirs at confirmation; the third has its own now.
    const emails = (await outbox(order.id)).filter((email) => email.kind === "ticket_issued");
    expect(emails.map((email) => email.toAddress).sort()).toEqual(
      [tickets[0].email, tickets[1].email, attendee.email].sort(),
    );
    const mine = emails.find((email) => email.toAddress === attendee.email)!;
    expect(mine.payload).toEqual({
      ticketId: named.id,
      codeVersion: 2,
      tokenHash: accessTokenHash(named.accessToken!),
    });
    const composed = await composeEmail({ appUrl: "https://tickets.example.org", signingKey: privateKey, db }, mine);
    if (typeof composed === "string" || !("send" in composed)) throw new Error("the ticket email should leave");
    expect(composed.send.text).toContain(`https://tickets.example.org/fr/tickets/${named.accessToken}`);
    expect(composed.send.text).not.toContain(order.accessToken);
    expect(composed.send.text).not.toContain(tickets[0].email);
    expect(composed.send.attachments).toHaveLength(2);

    const audit = await db.auditEntry.findFirstOrThrow({ where: { subjectId: named.id, action: "attendee.edited" } });
    expect(audit).toMatchObject({ actorEmail: buyer.email, after: { email: attendee.email, lastName: "third" } });
  });

  it("renames a named ticket: the old code and link stop, the new attendee is emailed, the old one told", async () => {
    const { edition, order, tickets } = await placedGroup();
    const before = tickets[0];
    const attendee = person("newcomer");
    expect(await nameTicket(db, order.accessToken, { ticketId: before.id, attendee })).toEqual({ ok: true });
    const after = await db.ticket.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({ email: attendee.email, codeVersion: before.codeVersion + 1 });
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(await getTicketByAccessToken(db, before.accessToken!)).toBeNull();
    expect(await scan(edition.id, codeOf(before))).toMatchObject({ result: "cancelled", reason: "reissued" });
    const emails = await outbox(order.id);
    expect(emails.map((email) => [email.kind, email.toAddress])).toEqual(
      expect.arrayContaining([
        ["ticket_issued", attendee.email],
        ["ticket_email_changed", before.email],
      ]),
    );
    // The buyer's link is theirs still.
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).accessToken).toBe(order.accessToken);
  });

  it("refuses an attendee email that already holds a seat of the edition, changing nothing", async () => {
    const { order, tickets } = await placedGroup();
    const clash = { ...person("clash"), email: tickets[1].email! };
    expect(await nameTicket(db, order.accessToken, { ticketId: tickets[2].id, attendee: clash })).toEqual({
      ok: false,
      reason: "already_registered",
    });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: tickets[2].id } })).toMatchObject({
      email: null,
      codeVersion: 1,
    });
    const invalid = await nameTicket(db, order.accessToken, { ticketId: tickets[2].id, attendee: { firstName: "A" } });
    expect(invalid).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("gives one ticket to new holders three times a day at most: each is emailed", async () => {
    const { order, tickets } = await placedGroup();
    const rename = () => nameTicket(db, order.accessToken, { ticketId: tickets[2].id, attendee: person("next") });
    for (let i = 0; i < 3; i += 1) expect(await rename()).toEqual({ ok: true });
    expect(await rename()).toEqual({ ok: false, reason: "rate_limited" });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: tickets[2].id } })).toMatchObject({ codeVersion: 4 });
  });

  it("is the buyer's only, until the edit deadline, and not for a solo order", async () => {
    const { edition, order, tickets } = await placedGroup();
    const attendee = person("late");
    expect(await nameTicket(db, tickets[0].accessToken!, { ticketId: tickets[2].id, attendee })).toEqual({
      ok: false,
      reason: "not_found",
    });
    await db.edition.update({ where: { id: edition.id }, data: { editDeadline: new Date(Date.now() - 1000) } });
    expect(await nameTicket(db, order.accessToken, { ticketId: tickets[2].id, attendee })).toEqual({
      ok: false,
      reason: "not_allowed",
    });
    const solo = await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee: person("solo"), locale: "fr" },
      HOLD,
    );
    if (!solo.ok) throw new Error(solo.reason);
    const soloTicket = await db.ticket.findFirstOrThrow({ where: { orderId: solo.order.id } });
    expect(await nameTicket(db, solo.order.accessToken, { ticketId: soloTicket.id, attendee })).toEqual({
      ok: false,
      reason: "not_allowed",
    });
  });
});

describe("naming from the back office", () => {
  it("lets an organiser name an unnamed ticket, which needs an email, and sends it to the attendee", async () => {
    const { edition, order, tickets } = await placedGroup();
    const organiser = await createOrganiser(db);
    const nameless = { attendee: { firstName: "Grace", lastName: "Hopper" }, answers: {} };
    expect(await editAttendee(db, organiser, edition.id, tickets[2].id, nameless)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { "attendee.email": ["required"] },
    });
    const attendee = person("hopper");
    const named = await editAttendee(db, organiser, edition.id, tickets[2].id, { attendee, answers: {} });
    expect(named).toEqual({ ok: true, ticketId: tickets[2].id, emailChangedTo: attendee.email });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: tickets[2].id } })).toMatchObject({
      firstName: "Ada",
      email: attendee.email,
      codeVersion: 2,
    });
    const emails = await outbox(order.id);
    expect(emails.filter((email) => email.kind === "ticket_issued").map((email) => email.toAddress)).toContain(
      attendee.email,
    );
  });
});

describe("resending from the back office", () => {
  it("resends a group attendee their own ticket, never the buyer's order; the rest with the order", async () => {
    const { edition, buyer, order, tickets } = await placedGroup();
    const organiser = await createOrganiser(db);
    expect(await resendConfirmation(db, organiser, edition.id, tickets[0].id)).toEqual({
      ok: true,
      ticketId: tickets[0].id,
    });
    expect(await resendConfirmation(db, organiser, edition.id, tickets[2].id)).toMatchObject({ ok: true });
    const resent = (await outbox(order.id)).filter((email) => email.dedupeKey.includes(":resent:"));
    expect(resent.map((email) => [email.kind, email.toAddress])).toEqual([
      ["ticket_issued", tickets[0].email],
      ["order_confirmation", buyer.email],
    ]);
  });
});

describe("an attendee's own ticket link", () => {
  it("edits and transfers that ticket alone; the group's order link does not act as an attendee", async () => {
    const { order, tickets } = await placedGroup();
    const link = tickets[1].accessToken!;
    const details = { attendee: { firstName: "Grace", lastName: "second" }, answers: {} };
    expect(await editAttendeeDetails(db, link, details)).toEqual({ ok: true });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: tickets[1].id } })).toMatchObject({ firstName: "Grace" });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: tickets[0].id } })).toMatchObject({ firstName: "Ada" });
    expect(await editAttendeeDetails(db, order.accessToken, details)).toEqual({ ok: false, reason: "not_allowed" });

    const colleague = person("colleague");
    expect(await transferTicket(db, link, colleague)).toEqual({ ok: true, transferredTo: colleague.email });
    const moved = await db.ticket.findUniqueOrThrow({ where: { id: tickets[1].id } });
    expect(moved).toMatchObject({ email: colleague.email, codeVersion: 2 });
    expect(await getTicketByAccessToken(db, link)).toBeNull();
    expect(await transferTicket(db, link, person("again"))).toEqual({ ok: false, reason: "not_found" });
    const emails = await outbox(order.id);
    expect(emails.map((email) => [email.kind, email.toAddress])).toEqual(
      expect.arrayContaining([
        ["ticket_issued", colleague.email],
        ["ticket_transfer_sent", tickets[1].email],
      ]),
    );
    // The buyer's link and the other tickets are untouched.
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).accessToken).toBe(order.accessToken);
    // A ticket cancelled on its own, its order standing, is no longer its attendee's to change.
    await db.ticket.update({ where: { id: tickets[0].id }, data: { status: "CANCELLED" } });
    expect(await editAttendeeDetails(db, tickets[0].accessToken!, details)).toEqual({
      ok: false,
      reason: "not_allowed",
    });
    expect(await transferTicket(db, tickets[0].accessToken!, person("late"))).toEqual({
      ok: false,
      reason: "not_allowed",
    });
  });
});

describe("unnamed tickets at the door", () => {
  it("admits an unnamed live ticket under the buyer.s name, flagged, online and in the snapshot", async () => {
    const { edition, buyer, tickets } = await placedGroup();
    expect(await scan(edition.id, codeOf(tickets[2]))).toMatchObject({
      result: "admitted",
      attendee: { name: `Ada ${buyer.lastName} (Acme)`, company: null, unnamed: true },
    });
    const snapshot = await snapshotAsSent(db, edition, verifyKeys);
    const row = snapshot.tickets.find((ticket) => ticket.id === tickets[2].id);
    expect(row).toMatchObject({ name: `Ada ${buyer.lastName} (Acme)`, unnamed: true, state: "valid" });
    expect(snapshot.tickets.find((ticket) => ticket.id === tickets[0].id)).not.toHaveProperty("unnamed");
  });

  it("tells the door how many of the team are in, this ticket included, and nothing for a solo ticket", async () => {
    const { edition, tickets } = await placedGroup();
    expect(await scan(edition.id, codeOf(tickets[0]))).toMatchObject({
      result: "admitted",
      group: { inside: 1, of: 3 },
    });
    expect(await scan(edition.id, codeOf(tickets[1]))).toMatchObject({
      result: "admitted",
      group: { inside: 2, of: 3 },
    });
    expect(await scan(edition.id, codeOf(tickets[0]))).toMatchObject({
      result: "already_checked_in",
      group: { inside: 2, of: 3 },
    });
    const solo = await registerAttendee(db, edition.slug, { ticketType: "free", attendee: person("solo") }, HOLD);
    if (!solo.ok) throw new Error(solo.reason);
    const [ticket] = await db.ticket.findMany({ where: { orderId: solo.order.id } });
    expect(await scan(edition.id, codeOf(ticket))).not.toHaveProperty("group");
  });
});
