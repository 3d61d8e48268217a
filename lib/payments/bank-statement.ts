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

export type StatementParse =
  | { ok: true; format: "camt.053" | "csv"; lines: StatementLine[]; ignored: number }
  | { ok: false; reason: "empty" | "unreadable" | "not_a_statement" | "missing_columns"; detail?: string };

/** A statement file as uploaded: ISO 20022 camt.053 (any version 001.02 to 001.13) or CSV, told apart by content. */
export function parseStatement(text: string): StatementParse {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { ok: false, reason: "empty" };
  return trimmed.startsWith("<") ? parseCamt053(trimmed) : parseStatementCsv(trimmed);
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
export function parseCamt053(text: string): StatementParse {
  let document: unknown;
  try {
    document = xml.parse(text, true);
  } catch (error) {
    return { ok: false, reason: "unreadable", detail: (error as Error).message };
  }
  const statements = child(document, "Document", "BkToCstmrStmt", "Stmt");
  if (!Array.isArray(statements)) return { ok: false, reason: "not_a_statement" };
  const lines: Omit<StatementLine, "id">[] = [];
  const bankIds: (string | null)[] = [];
  let ignored = 0;
  for (const statement of statements) {
    for (const entry of list(child(statement, "Ntry"))) {
      const status = textOf(child(entry, "Sts", "Cd")) ?? textOf(child(entry, "Sts"));
      if (textOf(child(entry, "CdtDbtInd")) !== "CRDT" || status !== "BOOK") {
        ignored += 1;
        continue;
      }
      const bookedOn = (textOf(child(entry, "BookgDt", "Dt")) ?? textOf(child(entry, "BookgDt", "DtTm")) ?? "").slice(
        0,
        10,
      );
      const entryAmount = child(entry, "Amt");
      const details = list(child(entry, "NtryDtls")).flatMap((batch) => list(child(batch, "TxDtls")));
      for (const detail of details.length > 0 ? details : [undefined]) {
        const amount =
          (details.length > 1 && (child(detail, "AmtDtls", "TxAmt", "Amt") ?? child(detail, "Amt"))) || entryAmount;
        const cents = amountCents(textOf(amount) ?? "");
        if (cents === null || cents <= 0) {
          ignored += 1;
          continue;
        }
        const remittance = child(detail, "RmtInf");
        lines.push({
          bookedOn,
          amountCents: cents,
          currency: String(child(amount, "@Ccy") ?? "EUR"),
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
        });
        bankIds.push(
          textOf(child(detail, "Refs", "AcctSvcrRef")) ??
            (details.length <= 1 ? (textOf(child(entry, "AcctSvcrRef")) ?? textOf(child(entry, "NtryRef"))) : null),
        );
      }
    }
  }
  return { ok: true, format: "camt.053", lines: withIds(lines, bankIds), ignored };
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
 * Negative amounts (debits) are ignored.
 */
export function parseStatementCsv(text: string): StatementParse {
  const rows = csvRows(text);
  if (rows.length === 0) return { ok: false, reason: "empty" };
  const header = rows[0].map(plain);
  const column = (names: readonly string[]) => header.findIndex((name) => names.includes(name));
  const at = Object.fromEntries(Object.entries(CSV_COLUMNS).map(([key, names]) => [key, column(names)])) as Record<
    keyof typeof CSV_COLUMNS,
    number
  >;
  if (at.date < 0 || at.amount < 0 || at.text < 0) {
    const missing = (["date", "amount", "text"] as const).filter((key) => at[key] < 0);
    return { ok: false, reason: "missing_columns", detail: missing.join(", ") };
  }
  const lines: Omit<StatementLine, "id">[] = [];
  const bankIds: (string | null)[] = [];
  let ignored = 0;
  for (const row of rows.slice(1)) {
    if (row.every((cell) => cell.trim() === "")) continue;
    const cents = amountCents(row[at.amount] ?? "");
    const bookedOn = isoDate(row[at.date] ?? "");
    if (cents === null || cents <= 0 || bookedOn === null) {
      ignored += 1;
      continue;
    }
    lines.push({
      bookedOn,
      amountCents: cents,
      currency: (at.currency >= 0 && row[at.currency]?.trim().toUpperCase()) || "EUR",
      payer: (at.payer >= 0 && row[at.payer]?.trim()) || null,
      references: [],
      text: row[at.text]?.trim() ?? "",
    });
    bankIds.push((at.id >= 0 && row[at.id]?.trim()) || null);
  }
  return { ok: true, format: "csv", lines: withIds(lines, bankIds), ignored };
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

function isoDate(text: string): string | null {
  const value = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const european = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value);
  return european ? `${european[3]}-${european[2].padStart(2, "0")}-${european[1].padStart(2, "0")}` : null;
}

const plain = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’]/g, "'")
    .trim();

// RFC 4180, with the delimiter (comma or semicolon) the header line uses.
function csvRows(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0];
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
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
      if (char === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}
