import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseAttendeeFilter } from "@/lib/attendees/query";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { exportAttendees, type ExportFormat } from "./attendee-export";

const { db } = await useTestDatabase();

async function editionWithAttendees() {
  const edition = await createEdition(db, {
    capacity: 10,
    questions: [
      { key: "tshirt", type: "SELECT", options: [{ value: "m", labelFr: "Moyen", labelEn: "Medium" }] },
      { key: "note", type: "TEXT" },
    ],
  });
  const requests = [
    attendeeRequest("free", "plain", { answers: { tshirt: "m", note: "Végétarien, sans gluten" } }),
    {
      ...attendeeRequest("free", "evil", { answers: { note: '=HYPERLINK("http://evil")' } }),
      attendee: { firstName: "@SUM(A1)", lastName: "Dupré", email: "evil@example.org", company: "+33 Corp" },
    },
    {
      ...attendeeRequest("free", "semi"),
      attendee: { firstName: "=1+2", lastName: "Zola;=1+2", email: "semi@example.org", company: "=cmd|' /C calc'!A0" },
    },
  ];
  for (const request of requests)
    expect((await registerAttendee(db, edition.slug, request, { holdMinutes: 35 })).ok).toBe(true);
  return db.edition.findUniqueOrThrow({
    where: { id: edition.id },
    include: { questions: { orderBy: { position: "asc" } } },
  });
}

async function download(
  edition: Awaited<ReturnType<typeof editionWithAttendees>>,
  format: ExportFormat,
  columnIds: string[],
  locale: "fr" | "en" = "fr",
) {
  const file = exportAttendees(db, { edition, filter: parseAttendeeFilter({}), columnIds, format, locale });
  return { ...file, bytes: Buffer.from(await new Response(file.body).arrayBuffer()) };
}

describe("attendee exports", () => {
  it("gives each of a team's tickets its own price and its order's buyer", async () => {
    const edition = await createEdition(db, {
      capacity: 10,
      ticketTypes: [
        { code: "standard", priceCents: 4900 },
        { code: "speaker", priceCents: 0 },
      ],
    });
    const buyer = { firstName: "Grace", lastName: "Hopper", email: "grace@example.org", company: "=Navy" };
    const ticket = (code: string, lastName: string) => ({
      ticketType: code,
      attendee: { firstName: "Ada", lastName, email: `${lastName.toLowerCase()}@example.org` },
    });
    const request = { buyer, locale: "en", tickets: [ticket("standard", "One"), ticket("speaker", "Two")] };
    expect((await registerAttendee(db, edition.slug, request, { holdMinutes: 35 })).ok).toBe(true);
    const withQuestions = await db.edition.findUniqueOrThrow({
      where: { id: edition.id },
      include: { questions: true },
    });
    const { bytes } = await download(
      withQuestions,
      "csv",
      ["lastName", "price", "buyer", "buyerEmail", "buyerCompany"],
      "en",
    );
    const lines = bytes.toString("utf8").slice(1).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("Last name,Price,Buyer,Buyer’s email,Buyer’s company");
    expect(lines.slice(1).sort()).toEqual([
      "One,49,Grace Hopper,grace@example.org,'=Navy",
      "Two,0,Grace Hopper,grace@example.org,'=Navy",
    ]);
  });

  it("writes UTF-8 CSV with a BOM, the chosen columns in order, answers by label, formulas neutralised", async () => {
    const edition = await editionWithAttendees();
    const { bytes, contentType, filename } = await download(edition, "csv", [
      "lastName",
      "firstName",
      "company",
      "answer:tshirt",
      "answer:note",
    ]);
    expect(contentType).toBe("text/csv; charset=utf-8");
    expect(filename).toMatch(new RegExp(`^${edition.slug}-attendees-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).split("\r\n");
    expect(lines[0]).toBe("Nom,Prénom,Société,tshirt,note");
    expect(lines).toContain('Dupré,\'@SUM(A1),\'+33 Corp,,"\'=HYPERLINK(""http://evil"")"');
    expect(lines).toContain('Lovelace plain,Ada,Analytical,Moyen,"Végétarien, sans gluten"');
    expect(lines).toContain(`"Zola;'=1+2",'=1+2,'=cmd|' /C calc'!A0,,`);
    expect(lines.filter(Boolean)).toHaveLength(4);
  });

  it("writes an XLSX workbook whose cells read back typed, formulas as text cells without an apostrophe", async () => {
    const edition = await editionWithAttendees();
    const { bytes, filename } = await download(edition, "xlsx", ["email", "firstName", "answer:tshirt"], "en");
    expect(filename.endsWith(".xlsx")).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const rows = sheet
      .getSheetValues()
      .filter(Boolean)
      .map((row) => (row as unknown[]).slice(1));
    expect(rows[0]).toEqual(["Email", "First name", "tshirt"]);
    expect(rows.slice(1).sort()).toEqual([
      ["ada.plain@example.org", "Ada", "Medium"],
      ["evil@example.org", "@SUM(A1)"],
      ["semi@example.org", "=1+2"],
    ]);
    const formulaLike = sheet.getColumn(2).values.indexOf("=1+2");
    const cell = sheet.getRow(formulaLike).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.numFmt).toBe("@");
  });

  it("writes JSON keyed by column id, with the default columns when none are chosen", async () => {
    const edition = await editionWithAttendees();
    const { bytes } = await download(edition, "json", []);
    const rows = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0])).toEqual([
      "reference",
      "firstName",
      "lastName",
      "email",
      "company",
      "ticketType",
      "status",
    ]);
    expect(rows.map((row) => row.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
    expect(rows.find((row) => row.email === "evil@example.org")).toMatchObject({
      firstName: "'@SUM(A1)",
      company: "'+33 Corp",
    });
    expect(rows.find((row) => row.email === "semi@example.org")).toMatchObject({
      firstName: "'=1+2",
      lastName: "Zola;'=1+2",
    });
  });

  it("lists rows in the list's collated order; the XLSX has widths, an autofilter and real date cells", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    await db.edition.update({ where: { id: edition.id }, data: { timeZone: "Europe/Paris" } });
    for (const [n, lastName] of ["Torvalds", "Łukasiewicz", "lovelace"].entries()) {
      const attendee = { firstName: "X", lastName, email: `person.${n}@example.org` };
      const request = { ...attendeeRequest("free", n), attendee };
      expect((await registerAttendee(db, edition.slug, request, { holdMinutes: 35 })).ok).toBe(true);
    }
    // 13:05 UTC in November is 14:05 in Paris.
    const createdAt = new Date("2026-11-20T13:05:00Z");
    await db.ticket.updateMany({ where: { editionId: edition.id }, data: { createdAt } });
    const full = await db.edition.findUniqueOrThrow({ where: { id: edition.id }, include: { questions: true } });
    const csv = await download(full, "csv", ["lastName", "registeredAt"]);
    expect(csv.bytes.toString("utf8").slice(1).split("\r\n").filter(Boolean)).toEqual([
      "Nom,Inscrit le",
      "lovelace,2026-11-20 14:05",
      "Łukasiewicz,2026-11-20 14:05",
      "Torvalds,2026-11-20 14:05",
    ]);

    const { bytes } = await download(full, "xlsx", ["lastName", "email", "registeredAt"], "en");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getColumn(1).values.slice(1)).toEqual(["Last name", "lovelace", "Łukasiewicz", "Torvalds"]);
    expect([1, 2, 3].map((column) => sheet.getColumn(column).width)).toEqual([18, 30, 17]);
    expect(sheet.autoFilter).toBe("A1:C1");
    const registered = sheet.getRow(2).getCell(3);
    expect(registered.type).toBe(ExcelJS.ValueType.Date);
    expect(registered.value).toEqual(new Date("2026-11-20T14:05:00Z"));
    expect(registered.numFmt).toBe("yyyy-mm-dd hh:mm");
  });
});
