import type { Db } from "@/lib/db/prisma";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { enqueueEmail, type SpeakerPassPayload } from "@/lib/email/outbox";
import { emailAddress, isSafeText, requiredLine } from "@/lib/forms/fields";
import type { Locale } from "@/lib/i18n/locales";
import { generateUniqueCodes } from "./codes";

/** The tag every speaker's code carries: the report and the export group them under it. */
export const SPEAKERS_TAG = "speakers";
const SPEAKER_PREFIX = "SPEAKER";
const MAX_SPEAKERS = 1000;

export type Speaker = { line: number; name: string; email: string; locale: Locale };
export type RowProblem = { line: number; reason: "missing_name" | "invalid_email" | "duplicate_email" };
export type SpeakerFile = { ok: true; speakers: Speaker[]; problems: RowProblem[] } | { ok: false };

// Header spellings: pretalx's exports ("Name", "E-Mail", "Email", "Language", "Locale"), spreadsheets' and French ones.
const HEADERS: Record<"name" | "email" | "language", string[]> = {
  name: ["name", "speaker name", "full name", "fullname", "display name", "nom", "nom complet", "speaker"],
  email: ["email", "e-mail", "mail", "email address", "e-mail address", "courriel", "adresse e-mail", "adresse email"],
  language: ["language", "locale", "lang", "langue", "preferred language", "speaker language", "sprache"],
};

const plainHeader = (header: string) =>
  header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s_]+/g, " ")
    .trim();

// The separator is the one the header line uses most (a French spreadsheet saves with ";").
function separatorOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((separator) => [separator, header.split(separator).length] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}

/** RFC 4180 records with the line each starts on; null when a quote is never closed. */
function csvRecords(text: string, separator: string): { line: number; cells: string[] }[] | null {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === "\n") line += 1;
        cell += char;
      }
    } else if (char === '"' && cell === "") quoted = true;
    else if (char === separator) {
      cells.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i += 1;
      records.push({ line: start, cells: [...cells, cell] });
      cells = [];
      cell = "";
      line += 1;
      start = line;
    } else cell += char;
  }
  if (quoted) return null;
  if (cell !== "" || cells.length > 0) records.push({ line: start, cells: [...cells, cell] });
  return records.filter((record) => record.cells.some((value) => value.trim() !== ""));
}

const localeOfLanguage = (language: string): Locale => {
  const plain = plainHeader(language);
  if (plain === "" || plain.startsWith("fr")) return "fr";
  return "en";
};

const speakerName = requiredLine(200);

/**
 * The speakers of a CSV file (pretalx's export or a spreadsheet): a BOM, "," or ";" separators and quoted cells are
 * read; a row without a name or with an invalid or repeated email is reported by its line. Not a CSV with a name and
 * an email column (or anything that cannot be text): `ok: false`.
 */
export function parseSpeakerCsv(text: string): SpeakerFile {
  const body = text.replace(/^\uFEFF/, "");
  if (!body.trim() || !isSafeText(body.replace(/[\r\n\t]/g, " "))) return { ok: false };
  const records = csvRecords(body, separatorOf(body));
  if (!records || records.length === 0) return { ok: false };
  const [header, ...rows] = records;
  const columns = header.cells.map(plainHeader);
  const column = (field: keyof typeof HEADERS) => columns.findIndex((name) => HEADERS[field].includes(name));
  const [name, email, language] = [column("name"), column("email"), column("language")];
  if (name < 0 || email < 0 || rows.length > MAX_SPEAKERS) return { ok: false };
  const speakers: Speaker[] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of rows) {
    const parsedName = speakerName.safeParse(cells[name] ?? "");
    const parsedEmail = emailAddress.safeParse(cells[email] ?? "");
    if (!parsedName.success) problems.push({ line, reason: "missing_name" });
    else if (!parsedEmail.success) problems.push({ line, reason: "invalid_email" });
    else if (seen.has(parsedEmail.data)) problems.push({ line, reason: "duplicate_email" });
    else {
      seen.add(parsedEmail.data);
      const locale = localeOfLanguage(language < 0 ? "" : (cells[language] ?? ""));
      speakers.push({ line, name: parsedName.data, email: parsedEmail.data, locale });
    }
  }
  return { ok: true, speakers, problems };
}

export type SpeakerImport =
  | { ok: true; created: number; skipped: number; problems: RowProblem[] }
  | { ok: false; reason: "file_empty" | "file_unreadable" | "no_speakers" | "not_found" | "unknown_allocation" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

/**
 * Gives each speaker of the file a FREE code valid once for `ticketTypeId` (usually a hidden type), tagged
 * "speakers" and issued to their email, and queues their email in the same transaction: a code exists exactly when
 * its email does. A speaker who already has a speakers' code of this edition (same email) is skipped, so importing
 * the same file again creates nothing; the unique (edition, tag, issuedTo) index settles two imports at once.
 * With `allocationId` (one of the edition's unreleased blocks) the codes draw on the block's seats, so speakers get
 * in when general sale is sold out.
 */
export async function importSpeakers(
  db: Db,
  actor: AuditActor,
  editionId: string,
  { ticketTypeId, file, allocationId = null }: { ticketTypeId: string; file: string; allocationId?: string | null },
): Promise<SpeakerImport> {
  if (!file.replace(/^\uFEFF/, "").trim()) return { ok: false, reason: "file_empty" };
  if (allocationId !== null && !UUID.test(allocationId)) return { ok: false, reason: "unknown_allocation" };
  const parsed = parseSpeakerCsv(file);
  if (!parsed.ok) return { ok: false, reason: "file_unreadable" };
  if (parsed.speakers.length === 0 && parsed.problems.length === 0) return { ok: false, reason: "no_speakers" };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx): Promise<SpeakerImport> => {
        const type = await tx.ticketType.findFirst({ where: { id: ticketTypeId, editionId }, select: { id: true } });
        if (!type) return { ok: false, reason: "not_found" };
        if (allocationId !== null) {
          const block = await tx.seatAllocation.count({
            where: { id: allocationId, editionId, releasedAt: null, kind: "BLOCK" },
          });
          if (block === 0) return { ok: false, reason: "unknown_allocation" };
        }
        const given = await tx.voucher.findMany({
          where: { editionId, tag: SPEAKERS_TAG, issuedTo: { in: parsed.speakers.map((speaker) => speaker.email) } },
          select: { issuedTo: true },
        });
        const already = new Set(given.map((voucher) => voucher.issuedTo));
        const newcomers = parsed.speakers.filter((speaker) => !already.has(speaker.email));
        const result = { ok: true as const, skipped: already.size, problems: parsed.problems };
        if (newcomers.length === 0) return { ...result, created: 0 };
        const codes = await generateUniqueCodes(tx, editionId, { count: newcomers.length, prefix: SPEAKER_PREFIX });
        const vouchers = await tx.voucher.createManyAndReturn({
          data: newcomers.map((speaker, i) => ({
            editionId,
            code: codes[i],
            codeKey: codes[i].replaceAll("-", ""),
            effect: "FREE" as const,
            maxUses: 1,
            maxUsesPerOrder: 1,
            tag: SPEAKERS_TAG,
            note: speaker.name,
            issuedTo: speaker.email,
            allocationId,
          })),
        });
        await tx.voucherTicketType.createMany({
          data: vouchers.map((voucher) => ({ voucherId: voucher.id, ticketTypeId })),
        });
        const byEmail = new Map(newcomers.map((speaker) => [speaker.email, speaker]));
        for (const voucher of vouchers) {
          const speaker = byEmail.get(voucher.issuedTo ?? "")!;
          const payload: SpeakerPassPayload = { voucherId: voucher.id, name: speaker.name };
          await enqueueEmail(tx, {
            dedupeKey: `speaker-pass:${voucher.id}`,
            kind: "speaker_pass",
            toAddress: speaker.email,
            locale: speaker.locale,
            payload,
          });
        }
        await recordAudit(tx, actor, {
          editionId,
          action: "voucher.speakers_imported",
          subjectType: "voucher",
          subjectId: null,
          after: {
            ticketTypeId,
            allocationId,
            codes: vouchers.map((voucher) => `${voucher.code} ${voucher.issuedTo}`),
          },
        });
        return { ...result, created: vouchers.length };
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt === 3) throw error;
    }
  }
}
