import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";
import { describe, expect, it } from "vitest";
import { sampleInvoiceDocuments } from "@/devtools/testing/invoice-documents";
import { invoiceCii } from "./cii";

// The schema shipped in the repository (lib/invoices/xsd), not a copy inside node_modules.
const XSD_DIR = path.resolve("lib/invoices/xsd");
const ROOT_XSD = "Factur-X_1.07.3_EN16931.xsd";
const schemaFiles = readdirSync(XSD_DIR)
  .filter((name) => name.endsWith(".xsd"))
  .map((fileName) => ({ fileName, contents: readFileSync(path.join(XSD_DIR, fileName), "utf8") }));

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: "factur-x.xml", contents: xml },
    schema: schemaFiles.find((file) => file.fileName === ROOT_XSD)!,
    preload: schemaFiles.filter((file) => file.fileName !== ROOT_XSD),
  });
  return result.errors.map((error) => error.rawMessage);
}

describe("the CII XML of an invoice", () => {
  it.each(Object.entries(sampleInvoiceDocuments))(
    "validates against the Factur-X EN 16931 XSD: %s",
    async (_, document) => {
      expect(await schemaErrors(invoiceCii(document))).toEqual([]);
    },
  );

  it("is refused by the XSD when an element is out of place, so the check above can fail", async () => {
    const xml = invoiceCii(sampleInvoiceDocuments.businessInvoice).replace(
      /(<ram:TypeCode>380<\/ram:TypeCode>)(<ram:IssueDateTime>.*?<\/ram:IssueDateTime>)/,
      "$2$1",
    );
    expect(await schemaErrors(xml)).not.toEqual([]);
  });
});
