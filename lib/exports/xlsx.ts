import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { neutraliseFormula } from "./csv";

// Cells are typed strings, which Excel never evaluates, but the text is neutralised as in CSV
// exports so that a sheet saved again as CSV stays harmless.
function safeCell(value: unknown): unknown {
  return typeof value === "string" ? neutraliseFormula(value) : (value ?? null);
}

/**
 * An .xlsx workbook written row by row with exceljs' streaming writer: each row is committed (and
 * leaves memory) as soon as it is added, so large exports stay flat in memory.
 */
export function xlsxStream(sheetName: string, header: string[], rows: AsyncIterable<unknown[]>): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  void (async () => {
    try {
      const headerRow = sheet.addRow(header);
      headerRow.font = { bold: true };
      headerRow.commit();
      for await (const row of rows) sheet.addRow(row.map(safeCell)).commit();
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      output.destroy(error as Error);
    }
  })();
  return output;
}
