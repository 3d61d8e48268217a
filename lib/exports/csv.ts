// CSV for spreadsheets: UTF-8 with a BOM (so Excel reads French accents), CRLF line ends, and
// cells that a spreadsheet would run as formulas neutralised (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
// A separator Excel may split on (French-locale Excel reads ";" as the separator) or a line
// break, followed by a formula: a tool that splits without honouring quotes would start a cell there.
const FORMULA_AFTER_SEPARATOR = /([,;\t\r\n])([=+\-@])/g;
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** Text a spreadsheet would run as a formula, prefixed with an apostrophe so it stays text. */
export function neutraliseFormula(text: string): string {
  const inside = text.replace(FORMULA_AFTER_SEPARATOR, "$1'$2");
  return FORMULA_START.test(inside) ? `'${inside}` : inside;
}

export function escapeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = neutraliseFormula(value instanceof Date ? value.toISOString() : String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(escapeCsvCell).join(",")}\r\n`;
}

/** Lines of a CSV file, pulled one row at a time so a large export keeps memory flat. */
export async function* csvLines(header: string[], rows: AsyncIterable<unknown[]>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(header)}`;
  for await (const row of rows) yield csvLine(row);
}
