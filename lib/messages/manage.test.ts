import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser, registerTicket } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import {
  createMessage,
  resendFailedOf,
  scheduleMessage,
  sendNow,
  stopMessage,
  updateMessage,
  type MessageChange,
} from "./manage";
import { runMessageSweep } from "./message-sweep";
import { emailHash, emailKeyOf } from "./opt-out";

const { db } = await useTestDatabase();
const organiser = await createOrganiser(db);
const edition = await createEdition(db, { capacity: 100 });
const now = new Date("2027-04-01T08:00:00Z");

const form = (overrides: Record<string, unknown> = {}) => ({
  audience: "ATTENDEES",
  status: "confirmed",
  checkedIn: "yes",
  subjectFr: "Bonjour {{ first_name }}",
  subjectEn: "Hello {{ first_name }}",
  bodyFr: "La salle change. [Votre billet]({{ ticket_url }})",
  bodyEn: "The room changed. [Your ticket]({{ ticket_url }})",
  ...overrides,
});

function created(change: MessageChange) {
  if (!change.ok) throw new Error(`refused: ${JSON.stringify(change)}`);
  return change.message;
}

const auditOf = (subjectId: string) =>
  db.auditEntry.findMany({
    where: { subjectId },
    orderBy: { createdAt: "asc" },
    select: { action: true, after: true },
  });

describe("writing a message", () => {
  it("saves a draft with its audience, filter and both languages, audited", async () => {
    const message = created(await createMessage(db, organiser, edition.id, form({ essential: "on" })));
    expect(message).toMatchObject({
      status: "DRAFT",
      audience: "ATTENDEES",
      essential: true,
      filter: { status: "confirmed", checkedIn: "yes" },
      createdById: organiser.id,
    });
    expect(await auditOf(message.id)).toEqual([
      { action: "message.created", after: expect.objectContaining({ audience: "ATTENDEES", essential: true }) },
    ]);
  });

  it("refuses unknown placeholders by name, per field, and saves nothing", async () => {
    const before = await db.message.count();
    const change = await createMessage(
      db,
      organiser,
      edition.id,
      form({ subjectEn: "Hi {{ nickname }}", bodyFr: "Code {{ order_reference }} {{ first_name }}" }),
    );
    expect(change).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { subjectEn: ["unknown_placeholder"], bodyFr: ["unknown_placeholder"] },
      names: { subjectEn: ["nickname"], bodyFr: ["order_reference"] },
    });
    expect(await db.message.count()).toBe(before);
  });

  it("allows the placeholders of its audience only", async () => {
    const buyers = form({ audience: "BUYERS", bodyEn: "Your order {{ order_reference }}", bodyFr: "", subjectFr: "" });
    expect((await createMessage(db, organiser, edition.id, buyers)).ok).toBe(true);
    const waiting = form({ audience: "WAITING_LIST", bodyEn: "[Your ticket]({{ ticket_url }})" });
    expect(await createMessage(db, organiser, edition.id, waiting)).toMatchObject({
      ok: false,
      // ticket_url is unknown to the waiting list: its link's target is not a URL either.
      fieldErrors: {
        bodyFr: ["unknown_placeholder", "link_not_absolute"],
        bodyEn: ["unknown_placeholder", "link_not_absolute"],
      },
    });
  });

  it("needs one language written whole, a known audience and absolute links", async () => {
    const cases: [object, Record<string, string[]>][] = [
      [form({ subjectFr: "", subjectEn: "", bodyFr: "", bodyEn: "" }), { form: ["message_empty"] }],
      [form({ bodyEn: "" }), { bodyEn: ["required"] }],
      [form({ audience: "SPEAKERS" }), { audience: ["invalid_choice"] }],
      [form({ bodyFr: "[ici](/billets)" }), { bodyFr: ["link_not_absolute"] }],
      [form({ subjectFr: "Bonjour {{ first_name" }), { subjectFr: ["malformed_placeholder"] }],
    ];
    for (const [input, fieldErrors] of cases) {
      expect(await createMessage(db, organiser, edition.id, input)).toMatchObject({ ok: false, fieldErrors });
    }
    // Where the back office's FieldErrors finds each code's sentence (components/field-errors.tsx).
    const codes = [...cases.flatMap(([, errors]) => Object.values(errors).flat()), "unknown_placeholder"];
    for (const catalogue of [en, fr]) {
      const sentences = { ...catalogue.fieldError, ...catalogue.messagesAdmin.fieldError } as Record<string, string>;
      expect(codes.filter((code) => !sentences[code])).toEqual([]);
    }
  });

  it("keeps the waiting list's ticket type only, and refuses another edition's message", async () => {
    const message = created(
      await createMessage(db, organiser, edition.id, {
        ...form({ audience: "WAITING_LIST", bodyFr: "Patience", bodyEn: "Hold on" }),
        ticketType: "free",
      }),
    );
    expect(message.filter).toEqual({ ticketType: "free" });
    const other = await createEdition(db, { capacity: 10 });
    expect(await updateMessage(db, organiser, other.id, message.id, form())).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});

const withQuestions = await createEdition(db, {
  capacity: 10,
  questions: [
    {
      key: "tshirt",
      type: "SELECT",
      options: [
        { value: "m", labelFr: "M", labelEn: "M" },
        { value: "l", labelFr: "L", labelEn: "L" },
      ],
    },
    { key: "vegan", type: "CHECKBOX" },
  ],
});

describe("a message's filter", () => {
  it("refuses a value it cannot read or this edition does not have (never widens it), saving nothing", async () => {
    const other = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "vip" }] });
    const before = await db.message.count();
    const cases: [Record<string, string>, string][] = [
      [{ answer: "foo" }, "answer"],
      [{ answer: "tshirt = m" }, "answer"],
      [{ answer: "tshirt=M" }, "answer"],
      [{ answer: "tshirt=xl" }, "answer"],
      [{ answer: "shoe=m" }, "answer"],
      [{ ticketType: "vip" }, "ticketType"],
      [{ status: "confirmd" }, "status"],
      [{ checkedIn: "maybe" }, "checkedIn"],
      [{ named: "both" }, "named"],
      [{ voucherTag: "sponsor" }, "voucherTag"],
    ];
    for (const [filter, field] of cases) {
      expect(await createMessage(db, organiser, withQuestions.id, form(filter))).toEqual({
        ok: false,
        reason: "invalid",
        fieldErrors: { [field]: ["invalid_choice"] },
        names: {},
      });
    }
    // The waiting list keeps the ticket type alone: another edition's type is refused there too.
    const waiting = form({ audience: "WAITING_LIST", bodyFr: "Patience", bodyEn: "Hold on", ticketType: "vip" });
    expect(await createMessage(db, organiser, withQuestions.id, waiting)).toMatchObject({
      fieldErrors: { ticketType: ["invalid_choice"] },
    });
    expect(await db.message.count()).toBe(before);
    expect((await createMessage(db, organiser, other.id, form({ ticketType: "vip" }))).ok).toBe(true);
  });

  it("keeps the list's answer choices and its search", async () => {
    for (const answer of ["tshirt=m", "vegan=true", "vegan=false"]) {
      const message = created(await createMessage(db, organiser, withQuestions.id, form({ answer, q: " Ada " })));
      expect(message.filter).toEqual({ status: "confirmed", checkedIn: "yes", answer, q: "Ada" });
    }
  });

  it("reaches only the rows the list's search finds", async () => {
    const own = await createEdition(db, { capacity: 10 });
    const [first, second] = [
      await registerTicket(db, own.slug, "free", 1),
      await registerTicket(db, own.slug, "free", 2),
    ];
    const q = second.email ?? "";
    const message = created(await createMessage(db, organiser, own.id, form({ checkedIn: "", q })));
    expect(await sendNow(db, organiser, own.id, message.id, now)).toEqual({ ok: true, recipients: 1, queued: 1 });
    const recipients = await db.messageRecipient.findMany({ where: { messageId: message.id } });
    expect(recipients.map((recipient) => recipient.ticketId)).toEqual([second.id]);
    expect(first.email).not.toBe(second.email);
  });
});

describe("changing, scheduling and sending a message", () => {
  it("updates a draft, audited with what changed", async () => {
    const message = created(await createMessage(db, organiser, edition.id, form()));
    const updated = created(
      await updateMessage(db, organiser, edition.id, message.id, form({ checkedIn: "", subjectEn: "Hi" })),
    );
    expect(updated.filter).toEqual({ status: "confirmed" });
    const [, entry] = await auditOf(message.id);
    expect(entry).toEqual({ action: "message.updated", after: { filter: { status: "confirmed" }, subjectEn: "Hi" } });
  });

  it("schedules in the edition's zone, at least two minutes ahead", async () => {
    await db.ticket.update({
      where: { id: (await registerTicket(db, edition.slug, "free", 1)).id },
      data: { checkedInAt: now },
    });
    const message = created(await createMessage(db, organiser, edition.id, form()));
    expect(await scheduleMessage(db, organiser, edition.id, message.id, { sendAt: "2027-04-01T10:01" }, now)).toEqual({
      ok: false,
      reason: "invalid",
      fieldErrors: { sendAt: ["schedule_too_soon"] },
      names: {},
    });
    const scheduled = created(
      await scheduleMessage(db, organiser, edition.id, message.id, { sendAt: "2027-04-02T09:30" }, now),
    );
    expect(scheduled).toMatchObject({ status: "SCHEDULED", sendAt: new Date("2027-04-02T07:30:00Z") });
    expect((await auditOf(message.id)).map((entry) => entry.action)).toEqual(["message.created", "message.scheduled"]);
  });

  it("sends now to whom matches, once, audited with the count; a sent message cannot change", async () => {
    const own = await createEdition(db, { capacity: 10 });
    const [came, absent] = [
      await registerTicket(db, own.slug, "free", 1),
      await registerTicket(db, own.slug, "free", 2),
    ];
    await db.ticket.update({ where: { id: came.id }, data: { checkedInAt: now } });
    const message = created(await createMessage(db, organiser, own.id, form()));
    expect(await sendNow(db, organiser, own.id, message.id, now)).toEqual({ ok: true, recipients: 1, queued: 1 });
    const recipients = await db.messageRecipient.findMany({ where: { messageId: message.id } });
    expect(recipients.map((recipient) => recipient.ticketId)).toEqual([came.id]);
    expect(recipients.map((recipient) => recipient.ticketId)).not.toContain(absent.id);
    expect(await sendNow(db, organiser, own.id, message.id, now)).toEqual({ ok: false, reason: "not_editable" });
    expect(await updateMessage(db, organiser, own.id, message.id, form())).toEqual({
      ok: false,
      reason: "not_editable",
    });
    const entries = await auditOf(message.id);
    expect(entries.map((entry) => entry.action)).toEqual(["message.created", "message.sent"]);
    expect(entries[1].after).toMatchObject({ recipients: 1 });
  });

  it("stops a message and resends the failed, each audited in its transaction", async () => {
    const { own, message } = await sentToOne("FAILED");
    expect(await resendFailedOf(db, organiser, own.id, message.id, now)).toBe(1);
    expect(await stopMessage(db, organiser, own.id, message.id, now)).toEqual({ cancelled: true, superseded: 1 });
    const entries = await auditOf(message.id);
    expect(entries.map((entry) => [entry.action, entry.after])).toEqual([
      ["message.created", expect.anything()],
      ["message.sent", expect.anything()],
      ["email.resent", { resent: 1 }],
      ["message.cancelled", { superseded: 1 }],
    ]);
    expect(await stopMessage(db, organiser, edition.id, message.id, now)).toEqual({
      cancelled: false,
      reason: "not_found",
    });
  });
});

describe("a message nobody would receive", () => {
  it("is neither sent nor scheduled, and stays a draft", async () => {
    const own = await createEdition(db, { capacity: 10 });
    await registerTicket(db, own.slug, "free", 1);
    const waiting = created(
      await createMessage(
        db,
        organiser,
        own.id,
        form({ audience: "WAITING_LIST", bodyFr: "Patience", bodyEn: "Wait" }),
      ),
    );
    expect(await sendNow(db, organiser, own.id, waiting.id, now)).toEqual({ ok: false, reason: "no_recipients" });
    const absent = created(await createMessage(db, organiser, own.id, form()));
    expect(await scheduleMessage(db, organiser, own.id, absent.id, { sendAt: "2027-04-02T09:30" }, now)).toEqual({
      ok: false,
      reason: "no_recipients",
    });
    for (const message of [waiting, absent]) {
      expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "DRAFT" });
      expect(await db.messageRecipient.count({ where: { messageId: message.id } })).toBe(0);
      expect((await auditOf(message.id)).map((entry) => entry.action)).toEqual(["message.created"]);
    }
  });

  it("counts an opted-out address as nobody", async () => {
    const own = await createEdition(db, { capacity: 10 });
    // An address of its own: an opt-out holds for every edition.
    const ticket = await registerTicket(db, own.slug, "free", "opted-out");
    const message = created(await createMessage(db, organiser, own.id, form({ checkedIn: "" })));
    await db.emailOptOut.create({ data: { emailHash: emailHash(emailKeyOf(ticket.email ?? "")), via: "page" } });
    expect(await sendNow(db, organiser, own.id, message.id, now)).toEqual({ ok: false, reason: "no_recipients" });
    const essential = created(await createMessage(db, organiser, own.id, form({ checkedIn: "", essential: "on" })));
    expect(await sendNow(db, organiser, own.id, essential.id, now)).toMatchObject({ ok: true, recipients: 1 });
  });

  it("scheduled, ends queued to nobody when nobody matches at its time", async () => {
    const own = await createEdition(db, { capacity: 10 });
    const ticket = await registerTicket(db, own.slug, "free", 1);
    await db.ticket.update({ where: { id: ticket.id }, data: { checkedInAt: now } });
    const message = created(await createMessage(db, organiser, own.id, form()));
    created(await scheduleMessage(db, organiser, own.id, message.id, { sendAt: "2027-04-01T10:30" }, now));
    await db.ticket.update({ where: { id: ticket.id }, data: { checkedInAt: null } });
    await runMessageSweep(db, new Date("2027-04-01T08:30:00Z"));
    expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "QUEUED" });
    expect(await db.messageRecipient.count({ where: { messageId: message.id } })).toBe(0);
  });
});

/** A message sent now to an edition's one attendee, its email then in `status` (as the worker would leave it). */
async function sentToOne(status: "FAILED" | "SENT") {
  const own = await createEdition(db, { capacity: 10 });
  await registerTicket(db, own.slug, "free", 1);
  const message = created(await createMessage(db, organiser, own.id, form({ checkedIn: "" })));
  await sendNow(db, organiser, own.id, message.id, now);
  await db.emailOutbox.updateMany({
    where: { payload: { path: ["messageId"], equals: message.id } },
    data: { status },
  });
  return { own, message };
}

describe("stopping a message", () => {
  it("refuses when every email has left: the message stays as sent", async () => {
    const { own, message } = await sentToOne("SENT");
    expect(await stopMessage(db, organiser, own.id, message.id, now)).toEqual({
      cancelled: false,
      reason: "nothing_to_stop",
    });
    expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "QUEUED" });
    expect((await auditOf(message.id)).map((entry) => entry.action)).toEqual(["message.created", "message.sent"]);
  });

  it("refuses a standing message: its setting turns it off", async () => {
    const own = await createEdition(db, { capacity: 10 });
    const standing = await db.message.create({
      data: { editionId: own.id, kind: "PRACTICAL_INFO", audience: "ATTENDEES", essential: true, status: "QUEUED" },
    });
    expect(await stopMessage(db, organiser, own.id, standing.id, now)).toEqual({
      cancelled: false,
      reason: "standing_message",
    });
    expect(await db.message.findUniqueOrThrow({ where: { id: standing.id } })).toMatchObject({ status: "QUEUED" });
  });

  it("says each refusal in both languages", () => {
    for (const catalogue of [en, fr]) {
      const result = catalogue.messagesAdmin.result as Record<string, string>;
      const codes = ["no_recipients", "nothing_to_stop", "standing_message", "cancelled"];
      expect(codes.filter((code) => !result[`message_${code}`])).toEqual([]);
    }
  });
});
