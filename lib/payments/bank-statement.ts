import { createHash } from "node:crypto";
import { XMLParser } from "fast-xml-parser";

/** A credit on the organiser's account, as a bank statement tells it. */
export type StatementLine = {
  /**
   * Stable across imports of the same statement: the bank's own reference for the transaction where it gives one,
   * otherwise a digest of what the line says and its rank among identical lines. Importing a statement twice
   * finds the same ids (see the import, which records them).
   */
  id: string;
  /** The booking date, YYYY-MM-DD. */
  bookedOn: string;
  amountCents: number;
  currency: string;
  payer: string | null;
  /** Structured creditor references (camt.053 CdtrRefInf), as written. */
  references: string[];
  /** The free text: unstructured remittance information, or a CSV's label. */
  text: string;
};

/**
 * A line of the file that may be a credit but could not be read: kept so the organiser checks it on the bank's
 * site rather than never learning of it.
 */
export type SkippedLine = {
  /** Where it starts in the file (a CSV's header is line 1); null when no longer known. */
  line: number | null;
  reason: (typeof SKIP_REASONS)[number];
  /** The cell that could not be read, cut short; "" when there was none. */
  value: string;
};

export type StatementParse =
  | {
      ok: true;
      format: "camt.053" | "csv";
      lines: StatementLine[];
      /** Debits and credits not booked yet: no payment to us, so neither lines nor errors. */
      ignored: number;
      skipped: SkippedLine[];
    }
  | { ok: false; reason: "empty" | "unreadable" | "not_a_statement" | "missing_columns"; detail?: string };

export const SKIP_REASONS = ["date", "amount", "currency", "columns", "too_long", "unreadable"] as const;

/** A bank's label is at most a few hundred characters (SEPA's remittance text: 140); more is not a statement's. */
export const MAX_CELL_LENGTH = 1000;
const SHOWN_VALUE_LENGTH = 40;

export const skippedLine = (line: number | null, reason: SkippedLine["reason"], value = ""): SkippedLine => ({
  line,
  reason,
  value: value.length > SHOWN_VALUE_LENGTH ? `${value.slice(0, SHOWN_VALUE_LENGTH)}…` : value,
});

/** A statement file as uploaded: ISO 20022 camt.053 (any version 001.02 to 001.13) or CSV, told apart by content. */
export function parseStatement(text: string): StatementParse {
  const untrimmed = text.replace(/^\uFEFF/, "");
  const trimmed = untrimmed.trim();
  if (trimmed === "") return { ok: false, reason: "empty" };
  // Line numbers count the blank lines trimmed off the top, so they name the line an editor shows.
  const firstLine = untrimmed.slice(0, untrimmed.length - untrimmed.trimStart().length).split("\n").length;
  return trimmed.startsWith("<") ? parseCamt053(trimmed, firstLine) : parseStatementCsv(trimmed, firstLine);
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ["Stmt", "Ntry", "NtryDtls", "TxDtls", "Ustrd", "Strd"].includes(name),
});

type Node = Record<string, unknown>;
const child = (node: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at && typeof at === "object" ? (at as Node)[key] : undefined), node);
const textOf = (node: unknown): string | null =>
  typeof node === "string" ? node : node && typeof node === "object" && "#text" in node ? String(node["#text"]) : null;
const list = (node: unknown): unknown[] => (Array.isArray(node) ? node : node === undefined ? [] : [node]);

/**
 * Credits booked on the account, one line per transaction (a batch booking's entry has several). Debits and
 * entries not yet booked (pending, information) are counted as ignored: only money on the account confirms.
 */
export function parseCamt053(text: string, firstLine = 1): StatementParse {
  let document: unknown;
  try {
    document = xml.parse(text, true);
  } catch {
    // The parser's own words ("char 'd' is not expected") help nobody: a broken camt.053 is most likely a
    // truncated download, anything else (an HTML page, a PDF's XML) is simply not a statement.
    return { ok: false, reason: /BkToCstmrStmt|camt\.053/.test(text) ? "unreadable" : "not_a_statement" };
  }
  const statements = child(document, "Document", "BkToCstmrStmt", "Stmt");
  if (!Array.isArray(statements)) return { ok: false, reason: "not_a_statement" };
  const lines: Omit<StatementLine, "id">[] = [];
  const bankIds: (string | null)[] = [];
  const skipped: SkippedLine[] = [];
  let ignored = 0;
  // The parser keeps no positions: the n-th entry read is the n-th <Ntry> tag of the file, in document order.
  const entryLines = [...text.matchAll(/<(?:[\w.-]+:)?Ntry[\s/>]/g)].map(
    (match) => firstLine + (text.slice(0, match.index).match(/\n/g)?.length ?? 0),
  );
  let entryRank = 0;
  for (const statement of statements) {
    for (const entry of list(child(statement, "Ntry"))) {
      const entryLine = entryLines[entryRank] ?? firstLine;
      entryRank += 1;
      const status = textOf(child(entry, "Sts", "Cd")) ?? textOf(child(entry, "Sts"));
      if (textOf(child(entry, "CdtDbtInd")) !== "CRDT" || status !== "BOOK") {
        ignored += 1;
        continue;
      }
      const bookedText = textOf(child(entry, "BookgDt", "Dt")) ?? textOf(child(entry, "BookgDt", "DtTm")) ?? "";
      const bookedOn = bookedText.slice(0, 10);
      if (!isBookingDay(bookedOn)) {
        skipped.push(skippedLine(entryLine, "date", bookedText));
        continue;
      }
      const entryAmount = child(entry, "Amt");
      const details = list(child(entry, "NtryDtls")).flatMap((batch) => list(child(batch, "TxDtls")));
      for (const detail of details.length > 0 ? details : [undefined]) {
        const amount =
          (details.length > 1 && (child(detail, "AmtDtls", "TxAmt", "Amt") ?? child(detail, "Amt"))) || entryAmount;
        const cents = amountCents(textOf(amount) ?? "");
        if (cents === null) {
          skipped.push(skippedLine(entryLine, "amount", textOf(amount) ?? ""));
          continue;
        }
        if (cents <= 0) {
          ignored += 1;
          continue;
        }
        const currency = String(child(amount, "@Ccy") ?? "EUR");
        if (!CURRENCY.test(currency)) {
          skipped.push(skippedLine(entryLine, "currency", currency));
          continue;
        }
        const remittance = child(detail, "RmtInf");
        const line = {
          bookedOn,
          amountCents: cents,
          currency,
          payer:
            textOf(child(detail, "RltdPties", "Dbtr", "Pty", "Nm")) ??
            textOf(child(detail, "RltdPties", "Dbtr", "Nm")) ??
            null,
          references: list(child(remittance, "Strd"))
            .map((structured) => textOf(child(structured, "CdtrRefInf", "Ref")))
            .filter((reference): reference is string => reference !== null),
          text: list(child(remittance, "Ustrd"))
            .map(textOf)
            .filter((part): part is string => part !== null)
            .join(" "),
        };
        if ([line.payer ?? "", line.text, ...line.references].some((cell) => cell.length > MAX_CELL_LENGTH)) {
          skipped.push(skippedLine(entryLine, "too_long"));
          continue;
        }
        lines.push(line);
        bankIds.push(
          textOf(child(detail, "Refs", "AcctSvcrRef")) ??
            (details.length <= 1 ? (textOf(child(entry, "AcctSvcrRef")) ?? textOf(child(entry, "NtryRef"))) : null),
        );
      }
    }
  }
  return { ok: true, format: "camt.053", lines: withIds(lines, bankIds), ignored, skipped };
}

// Header names a bank's CSV export may use for each column, compared without accents or case.
const CSV_COLUMNS = {
  date: ["date", "date operation", "date d'operation", "date comptable", "booking date", "date de valeur"],
  amount: ["amount", "montant", "credit", "montant credit"],
  currency: ["currency", "devise"],
  text: ["reference", "label", "libelle", "description", "remittance", "motif", "communication"],
  payer: ["payer", "name", "nom", "emetteur", "donneur d'ordre", "contrepartie"],
  id: ["id", "transaction id", "reference banque", "bank reference"],
} as const;

/**
 * A statement as CSV: a header line naming at least a date, an amount and a reference or label column (English
 * or French names, see CSV_COLUMNS), comma- or semicolon-separated, amounts with a decimal point or comma.
 * Negative amounts (debits) are ignored; a line whose cells cannot be read is skipped, with its line and why.
 * A header naming none of the columns is no bank's CSV.
 */
export function parseStatementCsv(text: string, firstLine = 1): StatementParse {
  const rows = csvRows(text, firstLine);
  if (rows.length === 0) return { ok: false, reason: "empty" };
  const header = rows[0].cells.map(plain);
  const column = (names: readonly string[]) => header.findIndex((name) => names.includes(name));
  const at = Object.fromEntries(Object.entries(CSV_COLUMNS).map(([key, names]) => [key, column(names)])) as Record<
    keyof typeof CSV_COLUMNS,
    number
  >;
  if (Object.values(at).every((index) => index < 0)) return { ok: false, reason: "not_a_statement" };
  if (at.date < 0 || at.amount < 0 || at.text < 0) {
    const missing = (["date", "amount", "text"] as const).filter((key) => at[key] < 0);
    return { ok: false, reason: "missing_columns", detail: missing.join(", ") };
  }
  const lines: Omit<StatementLine, "id">[] = [];
  const bankIds: (string | null)[] = [];
  const skipped: SkippedLine[] = [];
  let ignored = 0;
  const needed = Math.max(at.date, at.amount, at.text) + 1;
  for (const { cells: row, line } of rows.slice(1)) {
    if (row.every((cell) => cell.trim() === "")) continue;
    if (row.length < needed) {
      skipped.push(skippedLine(line, "columns"));
      continue;
    }
    if (row.some((cell) => cell.length > MAX_CELL_LENGTH)) {
      skipped.push(skippedLine(line, "too_long"));
      continue;
    }
    const cents = amountCents(row[at.amount]);
    if (cents === null) {
      skipped.push(skippedLine(line, "amount", row[at.amount].trim()));
      continue;
    }
    if (cents <= 0) {
      ignored += 1;
      continue;
    }
    const bookedOn = isoDate(row[at.date]);
    if (bookedOn === null) {
      skipped.push(skippedLine(line, "date", row[at.date].trim()));
      continue;
    }
    const currency = (at.currency >= 0 && row[at.currency]?.trim().toUpperCase()) || "EUR";
    if (!CURRENCY.test(currency)) {
      skipped.push(skippedLine(line, "currency", currency));
      continue;
    }
    lines.push({
      bookedOn,
      amountCents: cents,
      currency,
      payer: (at.payer >= 0 && row[at.payer]?.trim()) || null,
      references: [],
      text: row[at.text].trim(),
    });
    bankIds.push((at.id >= 0 && row[at.id]?.trim()) || null);
  }
  return { ok: true, format: "csv", lines: withIds(lines, bankIds), ignored, skipped };
}

function withIds(lines: Omit<StatementLine, "id">[], bankIds: (string | null)[]): StatementLine[] {
  const seen = new Map<string, number>();
  return lines.map((line, index) => {
    const bankId = bankIds[index];
    if (bankId) return { id: `bank:${bankId}`, ...line };
    const digest = createHash("sha256")
      .update(JSON.stringify([line.bookedOn, line.amountCents, line.currency, line.payer, line.references, line.text]))
      .digest("hex")
      .slice(0, 32);
    const rank = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, rank);
    return { id: `line:${digest}:${rank}`, ...line };
  });
}

/** "1 234,56", "1234.56", "+49,00", "1.234,56" → cents; null when it is not an amount. Never through a float. */
export function amountCents(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f']/g, "").replace(/^\+/, "");
  const match = /^(-?)(\d{1,3}(?:[.,]\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const cents = Number(whole.replace(/[.,]/g, "")) * 100 + Number(fraction.padEnd(2, "0"));
  return sign ? -cents : cents;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Whether a statement line's currency is an ISO 4217 code, as amounts are shown with it. */
export const isCurrencyCode = (text: string) => CURRENCY.test(text);

/** Whether YYYY-MM-DD names a day of the calendar (not 2026-26-11, nor 2026-02-31). */
export function isBookingDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** "2027-01-15" (a time may follow) or the European "15/01/2027", "15.01.2027"; null when no such day exists. */
function isoDate(text: string): string | null {
  const value = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)/.exec(value);
  const european = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value);
  const [year, month, day] = iso ? iso.slice(1) : european ? [european[3], european[2], european[1]] : [];
  if (!year) return null;
  const booked = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return isBookingDay(booked) ? booked : null;
}

const plain = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’]/g, "'")
    .trim();

// RFC 4180, with the delimiter (comma or semicolon) the header line uses; each row with the line it starts on.
function csvRows(text: string, firstLine: number): { cells: string[]; line: number }[] {
  const header = text.split(/\r?\n/, 1)[0];
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: { cells: string[]; line: number }[] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = firstLine;
  let rowLine = firstLine;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\n" || (char === "\r" && text[i + 1] !== "\n")) line += 1;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") {
        i += 1;
        line += 1;
      }
      row.push(cell);
      rows.push({ cells: row, line: rowLine });
      rowLine = line;
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) rows.push({ cells: [...row, cell], line: rowLine });
  return rows;
}
