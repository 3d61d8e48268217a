import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useDirectDelivery } from "@/devtools/testing/email-worker";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { deliverOutboxEmail } from "@/lib/notifications/deliver";
import { registerAttendee } from "@/lib/orders/register";
import { createAllocation, releaseAllocation } from "./allocations";
import { setVoucherActive } from "./voucher";
import { importSpeakers, parseSpeakerCsv } from "./speakers";

const { db } = await useTestDatabase();
const { smtp, deps } = await useDirectDelivery(db);
const organiser = await createOrganiser(db);

const newEdition = () =>
  createEdition(db, { capacity: 50, ticketTypes: [{ code: "conference", priceCents: 25000 }, { code: "speaker" }] });

// As pretalx exports it from a French spreadsheet: a BOM, ";" separators, its own header spellings, CRLF.
const PRETALX =
  "\uFEFFID;Name;E-Mail;Biography;Locale\r\n" +
  'K7QXM;Grace Hopper;Grace@Example.org;"Navy; COBOL";en\r\n' +
  "M3PAB;Ada Lovelace;ada@example.org;;fr\r\n" +
  "B4DRW;;nobody@example.org;;en\r\n" +
  "C0FFE;Alan Turing;not-an-email;;en\r\n" +
  "D0UBL;Grace H.;grace@example.org;;en\r\n";

const to = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : "");

describe("the speakers' file", () => {
  it("reads pretalx's export (BOM, semicolons, quoted cells) and names each bad line", () => {
    expect(parseSpeakerCsv(PRETALX)).toEqual({
      ok: true,
      speakers: [
        { line: 2, name: "Grace Hopper", email: "grace@example.org", locale: "en" },
        { line: 3, name: "Ada Lovelace", email: "ada@example.org", locale: "fr" },
      ],
      problems: [
        { line: 4, reason: "missing_name" },
        { line: 5, reason: "invalid_email" },
        { line: 6, reason: "duplicate_email" },
      ],
    });
  });

  it("reads commas, other header spellings, a quoted comma, and French by default", () => {
    const file = 'email,"Full Name",Language\n"linus@example.org","Torvalds, Linus",English\nrms@example.org,RMS,\n';
    expect(parseSpeakerCsv(file)).toMatchObject({
      ok: true,
      speakers: [
        { line: 2, name: "Torvalds, Linus", email: "linus@example.org", locale: "en" },
        { line: 3, name: "RMS", email: "rms@example.org", locale: "fr" },
      ],
    });
  });

  it("refuses a file without a name and an email column, an open quote, or binary content", () => {
    for (const file of [
      "",
      "title,abstract\nA talk,About\n",
      'name,email\n"Ada,ada@example.org\n',
      "name,email\n\u0000\u0001,x",
    ]) {
      expect(parseSpeakerCsv(file), JSON.stringify(file)).toEqual({ ok: false });
    }
  });
});

describe("importing speakers", () => {
  it("gives each speaker a one-use free code for the type and emails it in their language, once", async () => {
    const edition = await newEdition();
    const speakerType = edition.ticketTypes[1];

    const first = await importSpeakers(db, organiser, edition.id, { ticketTypeId: speakerType.id, file: PRETALX });

    expect(first).toEqual({
      ok: true,
      created: 2,
      skipped: 0,
      problems: [
        { line: 4, reason: "missing_name" },
        { line: 5, reason: "invalid_email" },
        { line: 6, reason: "duplicate_email" },
      ],
    });
    const vouchers = await db.voucher.findMany({
      where: { editionId: edition.id },
      include: { ticketTypes: true },
      orderBy: { issuedTo: "asc" },
    });
    expect(vouchers.map((voucher) => voucher.issuedTo)).toEqual(["ada@example.org", "grace@example.org"]);
    for (const voucher of vouchers) {
      expect(voucher).toMatchObject({ effect: "FREE", maxUses: 1, tag: "speakers", active: true });
      expect(voucher.code).toMatch(/^SPEAKER-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      expect(voucher.ticketTypes.map((link) => link.ticketTypeId)).toEqual([speakerType.id]);
    }
    const emails = await db.emailOutbox.findMany({
      where: { kind: "speaker_pass", toAddress: { in: ["ada@example.org", "grace@example.org"] } },
    });
    expect(emails.map((email) => [email.toAddress, email.locale]).sort()).toEqual([
      ["ada@example.org", "fr"],
      ["grace@example.org", "en"],
    ]);
    const audit = await db.auditEntry.findMany({ where: { editionId: edition.id } });
    expect(audit.map((entry) => entry.action)).toEqual(["voucher.speakers_imported"]);

    const again = await importSpeakers(db, organiser, edition.id, { ticketTypeId: speakerType.id, file: PRETALX });
    expect(again).toMatchObject({ ok: true, created: 0, skipped: 2 });
    expect(await db.voucher.count({ where: { editionId: edition.id } })).toBe(2);
    expect(await db.emailOutbox.count({ where: { id: { in: emails.map((email) => email.id) } } })).toBe(2);
    expect(await db.emailOutbox.count({ where: { kind: "speaker_pass", toAddress: "ada@example.org" } })).toBe(1);

    // The email, over SMTP: in French for Ada, with her code and the link that fills it in.
    const ada = vouchers[0];
    const adaEmail = emails.find((email) => email.toAddress === "ada@example.org")!;
    expect(await deliverOutboxEmail(deps, adaEmail.id)).toBe("sent");
    const mail = smtp.messages.find((message) => to(message) === "ada@example.org")!;
    expect(mail.subject).toBe(`Votre pass speaker pour ${edition.nameFr}`);
    expect(mail.text).toContain("Bonjour Ada Lovelace,");
    expect(mail.text).toContain(`Code\u00a0: ${ada.code}`);
    expect(mail.text).toContain(`http://app.test/fr/editions/${edition.slug}?code=${ada.code}`);
  });

  it("sends nothing for a code withdrawn before its email left", async () => {
    const edition = await newEdition();
    const file = "name,email\nKen Thompson,ken@example.org\n";
    await importSpeakers(db, organiser, edition.id, { ticketTypeId: edition.ticketTypes[1].id, file });
    const voucher = await db.voucher.findFirstOrThrow({ where: { editionId: edition.id } });
    await setVoucherActive(db, organiser, edition.id, voucher.id, false);
    const email = await db.emailOutbox.findFirstOrThrow({
      where: { payload: { path: ["voucherId"], equals: voucher.id } },
    });
    expect(await deliverOutboxEmail(deps, email.id)).toBe("superseded");
  });

  it("creates nothing from an unreadable file, nor for a type of another edition", async () => {
    const edition = await newEdition();
    const other = await newEdition();
    expect(
      await importSpeakers(db, organiser, edition.id, { ticketTypeId: edition.ticketTypes[1].id, file: "a;b\n1;2\n" }),
    ).toEqual({ ok: false, reason: "file_unreadable" });
    expect(
      await importSpeakers(db, organiser, edition.id, { ticketTypeId: other.ticketTypes[1].id, file: PRETALX }),
    ).toEqual({ ok: false, reason: "not_found" });
    expect(await db.voucher.count({ where: { editionId: edition.id } })).toBe(0);
    expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("says an empty file is empty", async () => {
    const edition = await newEdition();
    for (const file of ["", "\uFEFF", " \r\n"]) {
      expect(
        await importSpeakers(db, organiser, edition.id, { ticketTypeId: edition.ticketTypes[1].id, file }),
      ).toEqual({ ok: false, reason: "file_empty" });
    }
  });
});

describe("speaker passes drawing on a reserved block", () => {
  const blockOf = async (editionId: string, seats: number) => {
    const releaseAt = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16);
    const form = { name: "Speakers", seats: String(seats), ticketTypeId: "", releaseAt };
    const created = await createAllocation(db, organiser, editionId, form, new Date());
    if (!created.ok) throw new Error(JSON.stringify(created));
    return created.allocation;
  };
  const register = (slug: string, type: string, n: string, extra: Record<string, unknown> = {}) =>
    registerAttendee(db, slug, attendeeRequest(type, n, extra), { holdMinutes: 35 });

  it("let a speaker register on the block's seats while general sale is sold out", async () => {
    const edition = await createEdition(db, {
      capacity: 4,
      ticketTypes: [{ code: "conference", priceCents: 25000 }, { code: "speaker" }],
    });
    const block = await blockOf(edition.id, 2);
    expect(await register(edition.slug, "conference", "c1")).toMatchObject({ ok: true });
    expect(await register(edition.slug, "conference", "c2")).toMatchObject({ ok: true });
    expect(await register(edition.slug, "conference", "c3")).toMatchObject({ ok: false, reason: "sold_out" });

    const file = "name,email\nGrace Hopper,grace@example.org\n";
    const imported = await importSpeakers(db, organiser, edition.id, {
      ticketTypeId: edition.ticketTypes[1].id,
      file,
      allocationId: block.id,
    });
    expect(imported).toMatchObject({ ok: true, created: 1 });
    const { code, allocationId } = await db.voucher.findFirstOrThrow({ where: { editionId: edition.id } });
    expect(allocationId).toBe(block.id);

    const speaker = await register(edition.slug, "speaker", "grace", { code });
    if (!speaker.ok) throw new Error(speaker.reason);
    expect(await db.ticket.findFirstOrThrow({ where: { orderId: speaker.order.id } })).toMatchObject({
      allocationId: block.id,
      priceCents: 0,
    });
    expect(await db.seatAllocation.findUniqueOrThrow({ where: { id: block.id } })).toMatchObject({ used: 1 });
  });

  it("refuses a released block or another edition's, creating nothing", async () => {
    const edition = await newEdition();
    const other = await newEdition();
    const released = await blockOf(edition.id, 2);
    await releaseAllocation(db, organiser, edition.id, released.id, new Date());
    const foreign = await blockOf(other.id, 2);
    const file = "name,email\nGrace Hopper,grace@example.org\n";
    for (const allocationId of [released.id, foreign.id, "not-an-id"]) {
      expect(
        await importSpeakers(db, organiser, edition.id, {
          ticketTypeId: edition.ticketTypes[1].id,
          file,
          allocationId,
        }),
      ).toEqual({ ok: false, reason: "unknown_allocation" });
    }
    expect(await db.voucher.count({ where: { editionId: edition.id } })).toBe(0);
  });
});
