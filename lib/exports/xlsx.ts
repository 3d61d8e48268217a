import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";

// Text cells are written as strings with the Text number format ("@"): Excel and LibreOffice
// show "=1+2" as those four characters, never evaluate it, and keep it text when the cell is
// edited, so no apostrophe needs to be added to what the attendee typed.
const TEXT_FORMAT = "@";
const DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm";
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;

/** A sheet column: its header, its width in characters, and whether it holds wall-clock times. */
export type XlsxColumn = { header: string; width: number; dateTime?: boolean };

/**
 * A wall-clock time ("2026-11-26 14:05", already in the edition's zone) as an Excel date: Excel
 * dates have no zone, and exceljs reads a Date's UTC fields, so the wall clock goes in as UTC.
 */
function excelDate(value: unknown): unknown {
  const parts = typeof value === "string" ? WALL_CLOCK.exec(value) : null;
  if (!parts) return value;
  const [year, month, day, hour, minute] = parts.slice(1).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute));
}

/**
 * An .xlsx workbook written row by row with exceljs' streaming writer: each row is committed (and
 * leaves memory) as soon as it is added, so large exports stay flat in memory. The header row is
 * frozen and carries an autofilter; widths are set up front since the rows are never all in memory.
 */
export function xlsxStream(sheetName: string, columns: XlsxColumn[], rows: AsyncIterable<unknown[]>): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  // Written when the sheet closes: the filter's range is the header, Excel extends it to the rows.
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, columns.length) } };
  sheet.columns = columns.map((column) => ({ width: Math.max(column.width, column.header.length + 4) }));
  const addRow = (values: unknown[], { header = false } = {}) => {
    const row = sheet.addRow(
      values.map((value, index) => (!header && columns[index]?.dateTime ? excelDate(value) : value) ?? null),
    );
    row.eachCell((cell) => {
      if (typeof cell.value === "string") cell.numFmt = TEXT_FORMAT;
      else if (cell.value instanceof Date) cell.numFmt = DATE_TIME_FORMAT;
    });
    return row;
  };
  void (async () => {
    try {
      const headerRow = addRow(
        columns.map((column) => column.header),
        { header: true },
      );
      headerRow.font = { bold: true };
      headerRow.commit();
      for await (const row of rows) addRow(row).commit();
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      output.destroy(error as Error);
    }
  })();
  return output;
}
