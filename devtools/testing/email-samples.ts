import { randomUUID } from "node:crypto";
import { PNG } from "pngjs";
import type { Db } from "@/lib/db/prisma";
import { lockEdition } from "@/lib/capacity/seats";
import { saveCertificateSettings } from "@/lib/certificates/settings";
import { enqueueEmail, enqueueRefundEmail, enqueueTicketEmail, accessTokenHash } from "@/lib/email/outbox";
import { dispatchMessage } from "@/lib/messages/dispatch";
import { sendAllCertificates } from "@/lib/messages/send-certificates";
import { composeEmail, type RenderDeps } from "@/lib/notifications/renderers";
import { registerAttendee } from "@/lib/orders/register";
import { confirmPaidOrder } from "@/lib/payments/settle";
import { cancelFreeRegistration } from "@/lib/tickets/self-service";
import { importSpeakers } from "@/lib/vouchers/speakers";
import { createEdition, createOrganiser } from "./fixtures";
import { addTestEntry, holdSeats, lapseHolds } from "./waitlist";

/** One email as composed for sending: its parts, and its inline images by content id. */
export type SampleEmail = {
  kind: string;
  locale: "fr" | "en";
  subject: string;
  html: string;
  text: string;
  images: Map<string, Buffer>;
};

let people = 0;
const person = (firstName: string, lastName: string) => ({
  firstName,
  lastName,
  email: `sample-${++people}-${process.pid}-${Date.now().toString(36)}@example.org`,
  company: "Analytical Engines",
});

/**
 * Every email kind that lives on the layout (the ones with an editable wording: confirmation, own ticket,
 * cancellation, refund, speaker pass, the waiting list's three, the unnamed reminder, an organisers' message, the
 * practical information and the certificate), composed by composeEmail
 * from rows seeded as the app makes them: what layout.test.ts checks statically and e2e/email-rendering.spec.ts
 * in Chromium. Long names and a long address stand for the worst a phone's column must hold.
 */
export async function composeSampleEmails(db: Db, deps: RenderDeps): Promise<SampleEmail[]> {
  const edition = await createEdition(db, {
    capacity: 50,
    ticketTypes: [{ code: "conference", priceCents: 25000 }, { code: "free" }],
  });
  await db.edition.update({
    where: { id: edition.id },
    data: {
      nameFr: `Open Cloud Paris, la conférence des infrastructures ouvertes ${edition.slug.slice(-6)}`,
      nameEn: `Open Cloud Paris, the open infrastructure conference ${edition.slug.slice(-6)}`,
      venueName: "Espace Charenton",
      venueAddress: "327 rue de Charenton, Bâtiment B, entrée par la cour, 75012 Paris",
    },
  });
  const ids: string[] = [];
  const register = async (locale: "fr" | "en", ticketType: string, names: ([string, string] | null)[]) => {
    const buyer = person("Maximilienne", "de La Tour-Ravensbourg");
    const tickets = names.map((name) => ({ ticketType, attendee: name && person(...name) }));
    const result = await registerAttendee(db, edition.slug, { buyer, locale, tickets }, { holdMinutes: 35 });
    if (!result.ok) throw new Error(result.reason);
    return result.order;
  };
  const newest = async (where: { orderId?: string; toAddress?: string }, kind: string) => {
    const row = await db.emailOutbox.findFirstOrThrow({ where: { ...where, kind }, orderBy: { queuedAt: "desc" } });
    ids.push(row.id);
  };

  // A French group's paid order: the confirmation with two QR codes and the receipt with its VAT.
  const paid = await register("fr", "conference", [
    ["Anne-Sophie", "Vandenberghe-Lefèvre"],
    ["Łukasz", "Wiśniewski"],
  ]);
  const facts = { orderId: paid.id, sessionId: `cs_sample_${randomUUID()}`, paymentIntentId: null, currency: "eur" };
  const event = { id: `evt_sample_${randomUUID()}`, type: "checkout.session.completed" };
  await confirmPaidOrder(db, event, { ...facts, amountTotal: paid.amountCents }, new Date());
  await newest({ orderId: paid.id }, "order_confirmation");
  await db.$transaction((tx) => enqueueRefundEmail(tx, paid, "organiser_cancelled"));
  await newest({ orderId: paid.id }, "order_refunded");

  // An English group: one attendee's own ticket; the buyer's reminder of the ticket still unnamed.
  const registered = await register("en", "free", [["Grace", "Hopper"], null]);
  const group = await db.order.findUniqueOrThrow({ where: { id: registered.id } });
  const own = await db.ticket.findFirstOrThrow({ where: { orderId: group.id, position: 1 } });
  await db.$transaction((tx) => enqueueTicketEmail(tx, own.id, { dedupeKey: `sample:${own.id}` }));
  await newest({ orderId: group.id }, "ticket_issued");
  await db.$transaction((tx) =>
    enqueueEmail(tx, {
      dedupeKey: `sample-unnamed:${group.id}`,
      kind: "unnamed_reminder",
      orderId: group.id,
      toAddress: group.buyerEmail,
      locale: "en",
      payload: { tokenHash: accessTokenHash(group.accessToken) },
    }),
  );
  await newest({ orderId: group.id }, "unnamed_reminder");

  // A French attendee who cancels their free registration.
  const solo = await register("fr", "free", [["Jean-Baptiste", "Poquelin"]]);
  const { accessToken } = await db.order.findUniqueOrThrow({ where: { id: solo.id } });
  await cancelFreeRegistration(db, accessToken);
  await newest({ orderId: solo.id }, "order_cancelled");

  // An English speaker's pass.
  const speakerType = edition.ticketTypes.find((type) => type.code === "free")!;
  const speaker = person("Margaret", "Hamilton");
  const file = `name,email,locale\nMargaret Hamilton,${speaker.email},en\n`;
  await importSpeakers(db, await createOrganiser(db), edition.id, { ticketTypeId: speakerType.id, file });
  await newest({ toAddress: speaker.email }, "speaker_pass");

  // The organisers' messages on the bulk queue: a French one to the attendees (not essential: its unsubscribe link),
  // the practical information a few days before, and after the edition the certificate of the one who came.
  await db.edition.update({
    where: { id: edition.id },
    data: { practicalInfoDays: 2, scheduleUrl: "https://opencloud.example.org/programme" },
  });
  const bulk = async (data: { kind?: "PRACTICAL_INFO"; essential: boolean; subjectFr: string; bodyFr: string }) => {
    const message = await db.message.create({
      data: { editionId: edition.id, audience: "ATTENDEES", filter: { status: "confirmed" }, ...data },
    });
    await dispatchMessage(db, message.id, new Date());
    const row = await db.emailOutbox.findFirstOrThrow({
      where: { payload: { path: ["messageId"], equals: message.id }, locale: "fr" },
      orderBy: { toAddress: "asc" },
    });
    ids.push(row.id);
  };
  await bulk({
    essential: false,
    subjectFr: "Salle B et wifi pour {{ edition_name }}",
    bodyFr:
      "Bonjour {{ first_name }},\n\nLa keynote a lieu **salle B**. Le wifi : `OpenCloud` / `paris2027`.\n\n" +
      "- Vestiaire au rez-de-chaussée\n- Déjeuner à 12 h 30\n\n[Votre billet]({{ ticket_url }})",
  });
  await bulk({ kind: "PRACTICAL_INFO", essential: true, subjectFr: "", bodyFr: "" });
  const ended = new Date(edition.endsAt.getTime() + 86_400_000);
  const signature = PNG.sync.write(new PNG({ width: 240, height: 80 }));
  const settings = { enabled: "on", minutes: "450", signatoryName: "Camille Martin", signature };
  if (!(await saveCertificateSettings(db, await createOrganiser(db), edition.id, settings)).ok) {
    throw new Error("sample certificate settings refused");
  }
  await db.ticket.updateMany({ where: { orderId: paid.id, position: 1 }, data: { checkedInAt: edition.startsAt } });
  await sendAllCertificates(db, await createOrganiser(db), edition.id, ended);
  const certificate = await db.emailOutbox.findFirstOrThrow({
    where: { editionId: edition.id, kind: "certificate_ready" },
  });

  // The waiting list of a sold-out edition: a French entry joins, is offered the seat freed, lets it lapse.
  const full = await createEdition(db, { capacity: 1, ticketTypes: [{ code: "standard", priceCents: 4900 }] });
  const held = await holdSeats(db, full);
  const entry = await addTestEntry(db, full, { locale: "fr", name: "Marie-Clémentine Dupont-Aignan" });
  await db.$transaction((tx) =>
    enqueueEmail(tx, {
      dedupeKey: `sample-joined:${entry.id}`,
      kind: "waitlist_joined",
      toAddress: entry.email,
      locale: "fr",
      payload: { entryId: entry.id },
    }),
  );
  await newest({ toAddress: entry.email }, "waitlist_joined");
  await lapseHolds(db, [held]);
  await newest({ toAddress: entry.email }, "waitlist_offer");
  // The offer is composed while it is open: once lapsed, its email is superseded by the lapse notice.
  // A message's unsubscribe link is signed; the certificate is composed on the day after the edition.
  const offered = await composeAll(db, { emailLinkKey: "sample-email-link-key", ...deps }, ids);
  const certified = await composeAll(db, { ...deps, now: () => ended }, [certificate.id]);
  await db.$transaction(async (tx) => {
    await lockEdition(tx, full.id);
    await tx.$queryRaw`SELECT guichet_waitlist_close_offer(o.id, 'LAPSED'::"WaitingListOfferStatus")
      FROM "WaitingListOffer" o WHERE o."entryId" = ${entry.id}::uuid AND o.status = 'OFFERED'`;
  });
  const lapsed = await db.emailOutbox.findFirstOrThrow({
    where: { toAddress: entry.email, kind: "waitlist_offer_lapsed" },
  });
  return [...offered, ...certified, ...(await composeAll(db, deps, [lapsed.id]))];
}

async function composeAll(db: Db, deps: RenderDeps, ids: string[]): Promise<SampleEmail[]> {
  const emails: SampleEmail[] = [];
  for (const id of ids) {
    const email = await db.emailOutbox.findUniqueOrThrow({
      where: { id },
      include: {
        order: {
          include: {
            edition: true,
            tickets: { include: { ticketType: true, voucher: { select: { code: true } } } },
            invoices: true,
          },
        },
      },
    });
    const composed = await composeEmail(deps, email);
    if (composed === "missing" || !("send" in composed)) {
      throw new Error(`sample ${email.kind} not composed: ${JSON.stringify(composed)}`);
    }
    const { subject, html, text, attachments = [] } = composed.send;
    const images = new Map<string, Buffer>();
    for (const attachment of attachments) {
      if (attachment.cid) images.set(attachment.cid, attachment.content as Buffer);
    }
    emails.push({
      kind: email.kind,
      locale: email.locale,
      subject: String(subject),
      html: String(html),
      text: String(text),
      images,
    });
  }
  return emails;
}
