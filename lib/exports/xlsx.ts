import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";

// Text cells are written as strings with the Text number format ("@"): Excel and LibreOffice
// show "=1+2" as those four characters, never evaluate it, and keep it text when the cell is
// edited, so no apostrophe needs to be added to what the attendee typed.
const TEXT_FORMAT = "@";

/**
 * An .xlsx workbook written row by row with exceljs' streaming writer: each row is committed (and
 * leaves memory) as soon as it is added, so large exports stay flat in memory.
 */
export function xlsxStream(sheetName: string, header: string[], rows: AsyncIterable<unknown[]>): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  const addRow = (values: unknown[]) => {
    const row = sheet.addRow(values.map((value) => value ?? null));
    row.eachCell((cell) => {
      if (typeof cell.value === "string") cell.numFmt = TEXT_FORMAT;
    });
    return row;
  };
  void (async () => {
    try {
      const headerRow = addRow(header);
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
