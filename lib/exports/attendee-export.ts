import { Readable } from "node:stream";
import { streamAttendees, type AttendeeFilter } from "@/lib/attendees/query";
import type { Db } from "@/lib/db/prisma";
import type { Locale } from "@/lib/i18n/locales";
import { attendeeColumns, chooseColumns } from "./attendee-columns";
import { csvLines, neutraliseFormula } from "./csv";
import { xlsxStream } from "./xlsx";
import { byteStream } from "@/lib/http/byte-stream";

export const EXPORT_FORMATS = ["csv", "xlsx", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
};

type EditionToExport = {
  id: string;
  slug: string;
  timeZone: string;
  questions: { key: string; type: string; labelFr: string; labelEn: string; options: unknown }[];
};

const jsonCell = (value: unknown) => (typeof value === "string" ? neutraliseFormula(value) : value);

async function* jsonLines(rows: AsyncIterable<Record<string, unknown>>): AsyncGenerator<string> {
  yield "[";
  let first = true;
  for await (const row of rows) {
    yield `${first ? "" : ","}\n${JSON.stringify(row)}`;
    first = false;
  }
  yield "\n]\n";
}

/**
 * The attendees matching `filter` as a CSV, XLSX or JSON download, streamed from the database in
 * batches: the back office's export and the API's both come from here.
 */
export function exportAttendees(
  db: Db,
  {
    edition,
    filter,
    columnIds,
    format,
    locale,
    now = new Date(),
  }: {
    edition: EditionToExport;
    filter: AttendeeFilter;
    columnIds: string[];
    format: ExportFormat;
    locale: Locale;
    now?: Date;
  },
): { body: ReadableStream<Uint8Array>; contentType: string; filename: string } {
  const columns = chooseColumns(attendeeColumns(edition, edition.questions, locale, now), columnIds);
  const rows = streamAttendees(db, edition.id, filter, { now, locale });
  async function* cells() {
    for await (const row of rows) yield columns.map((column) => column.value(row));
  }
  // JSON is read by scripts that often end in a spreadsheet: it is neutralised like the CSV.
  async function* objects() {
    for await (const row of rows) {
      yield Object.fromEntries(columns.map((column) => [column.id, jsonCell(column.value(row))]));
    }
  }
  const header = columns.map((column) => column.header[locale]);
  const sheetColumns = columns.map(({ header, width, dateTime }) => ({ header: header[locale], width, dateTime }));
  const body =
    format === "csv"
      ? byteStream(csvLines(header, cells()))
      : format === "json"
        ? byteStream(jsonLines(objects()))
        : (Readable.toWeb(xlsxStream(edition.slug, sheetColumns, cells())) as ReadableStream<Uint8Array>);
  const stamp = now.toISOString().slice(0, 10);
  return { body, contentType: CONTENT_TYPES[format], filename: `${edition.slug}-attendees-${stamp}.${format}` };
}
