import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { registerAttendee } from "@/lib/orders/register";
import { chooseRecipients } from "./dispatch";
import { emailHash, optOutHashOf } from "./opt-out";
import { renderMessageEmail } from "./render";

const { db } = await useTestDatabase();
const now = new Date();
const deps = {
  appUrl: "http://app.test",
  db,
  signingKey: generateKeyPairSync("ed25519").privateKey,
  emailLinkKey: "render-test-key-0123456789abcdefghij",
};

type Edition = Awaited<ReturnType<typeof createEdition>>;
const address = (tag: string) => `${tag}.${randomUUID().slice(0, 8)}@example.org`;

async function team(edition: Edition) {
  const buyer = { firstName: "Buyer", lastName: "Boss", email: address("buyer"), company: null };
  const colleague = { firstName: "*Bob*", lastName: "[x](y)", email: address("colleague"), company: null };
  const result = await registerAttendee(
    db,
    edition.slug,
    {
      buyer,
      locale: "en",
      tickets: [
        { ticketType: "free", attendee: colleague },
        { ticketType: "free", attendee: null },
      ],
    },
    { holdMinutes: 35 },
  );
  if (!result.ok) throw new Error(result.reason);
  const tickets = await db.ticket.findMany({ where: { orderId: result.order.id }, orderBy: { position: "asc" } });
  return { order: await db.order.findUniqueOrThrow({ where: { id: result.order.id } }), tickets, buyer };
}

async function chosen(edition: Edition, data: Record<string, unknown>) {
  const message = await db.message.create({
    data: {
      editionId: edition.id,
      audience: "ATTENDEES",
      subjectEn: "Hi {{first_name}}",
      bodyEn: "Hello {{ full_name }}, [ticket]({{ticket_url}})",
      ...data,
    },
  });
  await chooseRecipients(db, message.id, now);
  const recipients = await db.messageRecipient.findMany({ where: { messageId: message.id } });
  const render = (recipient: { id: string }) => renderMessageEmail(deps, { payload: { recipientId: recipient.id } });
  return { message, recipients, render };
}

describe("a message's email, rendered when it leaves", () => {
  it("gives each address its own link and name, escaped; a placeholder of another audience renders empty", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const { order, tickets, buyer } = await team(edition);
    const { recipients, render } = await chosen(edition, {
      essential: true,
      bodyEn: "Hello {{ full_name }}, [ticket]({{ticket_url}}) {{ order_url }}.",
    });
    const colleague = recipients.find((row) => row.ticketId === tickets[0].id)!;
    const own = await render(colleague);
    if (typeof own === "string" || !("send" in own)) throw new Error("not sent");
    expect(own.send.subject).toBe("Hi *Bob*");
    expect(own.send.html).toContain(`href="http://app.test/en/tickets/${tickets[0].accessToken}"`);
    expect(own.send.html).not.toContain(order.accessToken);
    expect(own.send.text).toContain("Hello *Bob* [x](y),");
    const buyerEmail = await render(recipients.find((row) => row.emailKey === buyer.email.toLowerCase())!);
    if (typeof buyerEmail === "string" || !("send" in buyerEmail)) throw new Error("not sent");
    expect(buyerEmail.send.html).toContain(`href="http://app.test/en/orders/${order.accessToken}"`);
  });

  it("falls back to the other language's text when the recipient's is empty", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    await registerAttendee(
      db,
      edition.slug,
      { ticketType: "free", attendee: { firstName: "Léa", lastName: "Roux", email: address("lea") }, locale: "fr" },
      { holdMinutes: 35 },
    );
    const { recipients, render } = await chosen(edition, { subjectFr: "", bodyFr: "" });
    expect(await render(recipients[0])).toMatchObject({ send: { subject: "Hi Léa" } });
  });

  it("is superseded when cancelled, opted out since, or when its ticket has another holder now", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const { tickets } = await team(edition);
    const { message, recipients, render } = await chosen(edition, {});
    const colleague = recipients.find((row) => row.ticketId === tickets[0].id)!;
    const buyer = recipients.find((row) => row.ticketId !== tickets[0].id)!;

    const sent = await render(buyer);
    if (typeof sent === "string" || !("send" in sent)) throw new Error("not sent");
    const optOutLink = /email-preferences\/([0-9a-f]{64}\.[\w-]+)"/.exec(sent.send.html as string)![1];
    expect(optOutHashOf(deps.emailLinkKey, optOutLink)).toBe(emailHash(buyer.emailKey));
    expect(optOutHashOf("another-key-0123456789abcdefghijklmn", optOutLink)).toBeNull();

    await db.emailOptOut.create({ data: { emailHash: emailHash(buyer.emailKey), via: "page" } });
    expect(await render(buyer)).toEqual({ supersededBecause: "address opted out" });
    await db.message.update({ where: { id: message.id }, data: { essential: true } });
    expect(await render(buyer)).toMatchObject({ send: {} });

    await db.ticket.update({ where: { id: tickets[0].id }, data: { email: address("new-holder") } });
    expect(await render(colleague)).toEqual({ supersededBecause: "ticket changed holder" });
    await db.message.update({ where: { id: message.id }, data: { status: "CANCELLED", cancelledAt: now } });
    expect(await render(buyer)).toEqual({ supersededBecause: "message cancelled" });
  });

  it("to buyers carries the order link, to the waiting list the entry's page until the entry leaves", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const { order } = await team(edition);
    const buyers = await chosen(edition, { audience: "BUYERS", bodyEn: "{{order_reference}} {{ order_url }}" });
    expect(await buyers.render(buyers.recipients[0])).toMatchObject({
      send: { text: expect.stringContaining(`${order.reference} http://app.test/en/orders/${order.accessToken}`) },
    });
    const entry = await addTestEntry(db, edition);
    const waiting = await chosen(edition, { audience: "WAITING_LIST", bodyEn: "{{ waiting_list_url }}" });
    expect(await waiting.render(waiting.recipients[0])).toMatchObject({
      send: { text: expect.stringContaining(`http://app.test/en/waiting-list/${entry.token}`) },
    });
    await db.waitingListEntry.update({ where: { id: entry.id }, data: { status: "REMOVED", removedBy: "self" } });
    expect(await waiting.render(waiting.recipients[0])).toEqual({ supersededBecause: "entry REMOVED" });
  });

  it("practical information: superseded when off, without a live ticket, once the edition started", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    await db.edition.update({ where: { id: edition.id }, data: { practicalInfoDays: 2 } });
    const { tickets } = await team(edition);
    const { recipients, render } = await chosen(edition, {
      kind: "PRACTICAL_INFO",
      essential: true,
      filter: { status: "confirmed" },
    });
    const colleague = recipients.find((row) => row.ticketId === tickets[0].id)!;
    const buyer = recipients.find((row) => row.ticketId !== tickets[0].id)!;
    // The buyer holds the unnamed ticket: its QR, the PDF, and a word on naming it; the footer fits a buyer too.
    expect(await render(buyer)).toMatchObject({
      send: {
        subject: `${edition.nameEn}: practical information`,
        attachments: [{ cid: "ticket-1@guichet" }, {}],
        text: expect.stringMatching(
          /1 ticket is not named yet: name it from your order[\s\S]*booked or were given a ticket/,
        ),
      },
    });
    expect(await render(colleague)).toMatchObject({ send: { text: expect.not.stringContaining("not named yet") } });
    await db.edition.update({ where: { id: edition.id }, data: { practicalInfoDays: null } });
    expect(await render(colleague)).toEqual({ supersededBecause: "practical information turned off" });
    await db.edition.update({ where: { id: edition.id }, data: { practicalInfoDays: 2 } });
    await db.ticket.update({ where: { id: tickets[0].id }, data: { status: "CANCELLED" } });
    expect(await render(colleague)).toEqual({ supersededBecause: "no live ticket" });
    const started = new Date(Date.now() - 3_600_000);
    await db.edition.update({
      where: { id: edition.id },
      data: { startsAt: started, endsAt: new Date(started.getTime() + 8 * 3_600_000) },
    });
    expect(await render(buyer)).toEqual({ supersededBecause: "edition started" });
  });
});
