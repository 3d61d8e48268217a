import { describe, expect, it } from "vitest";
import { amountCents, parseStatement } from "./bank-statement";
import { matchStatement } from "./statement-matching";
import { printedTransferReference, quotesOrder, transferReferenceFor } from "./transfer-reference";

// camt.053.001.02, as French banks still send it: a credit quoting an RF reference, a debit, a credit not yet
// booked, and a batch booking of two transfers in one entry.
const CAMT_02 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>STMT-2027-01-15</MsgId><CreDtTm>2027-01-15T18:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>2027-01-15</Id>
   <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
   <Ntry>
    <Amt Ccy="EUR">147.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2027-01-15</Dt></BookgDt><AcctSvcrRef>BANK-0001</AcctSvcrRef>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Nm>ACME SAS</Nm></Dbtr></RltdPties>
     <RmtInf><Strd><CdtrRefInf><Ref>REF_A</Ref></CdtrRefInf></Strd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">12.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2027-01-15</Dt></BookgDt>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">49.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts><BookgDt><Dt>2027-01-15</Dt></BookgDt>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">98.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2027-01-15</Dt></BookgDt>
    <NtryDtls>
     <TxDtls>
      <Refs><AcctSvcrRef>BANK-0002</AcctSvcrRef></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">49.00</Amt></TxAmt></AmtDtls>
      <RmtInf><Ustrd>Inscription conference REF_B merci</Ustrd></RmtInf>
     </TxDtls>
     <TxDtls>
      <AmtDtls><TxAmt><Amt Ccy="EUR">49.00</Amt></TxAmt></AmtDtls>
      <RmtInf><Ustrd>VIREMENT SANS REFERENCE</Ustrd></RmtInf>
     </TxDtls>
    </NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>`;

// camt.053.001.08: the status is a code, the debtor a party.
const CAMT_08 = `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S1</Id>
 <Ntry><Amt Ccy="EUR">1234.56</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
  <BookgDt><DtTm>2027-02-01T09:30:00+01:00</DtTm></BookgDt>
  <NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Université de Lille</Nm></Pty></Dbtr></RltdPties>
   <RmtInf><Ustrd>Bon de commande 4500012345</Ustrd><Ustrd>REF_C</Ustrd></RmtInf></TxDtls></NtryDtls>
 </Ntry>
</Stmt></BkToCstmrStmt></Document>`;

describe("transfer references (ISO 11649)", () => {
  it("computes the standard's own example, and one per order that a typo does not turn into another's", () => {
    expect(transferReferenceFor("539007547034")).toBe("RF18539007547034");
    expect(printedTransferReference("RF18539007547034")).toBe("RF18 5390 0754 7034");
    const references = ["3PQ1-HY2H", "N4FX-8FGV", "0000-0000", "ZZZZ-ZZZZ"].map(transferReferenceFor);
    expect(references.every((reference) => /^RF\d{2}[0-9A-Z]{8}$/.test(reference))).toBe(true);
    expect(new Set(references).size).toBe(4);
  });

  it("finds an order's reference in free text, spaced or not, or its printed reference, and nothing else", () => {
    const rf = transferReferenceFor("3PQ1-HY2H");
    expect(quotesOrder([`VIREMENT ${printedTransferReference(rf)} ACME`], "3PQ1-HY2H")).toBe(true);
    expect(quotesOrder([`VIR${rf}ACME`], "3PQ1-HY2H")).toBe(true);
    expect(quotesOrder(["facture 3pq1-hy2h"], "3PQ1-HY2H")).toBe(true);
    expect(quotesOrder(["VIREMENT 3PQ1HY2H"], "3PQ1-HY2H")).toBe(false);
    expect(quotesOrder([rf.slice(0, -1) + "0"], "3PQ1-HY2H")).toBe(false);
  });
});

describe("bank statements", () => {
  it("reads a camt.053.001.02: booked credits only, one line per transaction of a batch", () => {
    const parsed = parseStatement(CAMT_02);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.format).toBe("camt.053");
    expect(parsed.ignored).toBe(2);
    expect(
      parsed.lines.map(({ amountCents, payer, references, text, bookedOn }) => [
        amountCents,
        payer,
        references,
        text,
        bookedOn,
      ]),
    ).toEqual([
      [14700, "ACME SAS", ["REF_A"], "", "2027-01-15"],
      [4900, null, [], "Inscription conference REF_B merci", "2027-01-15"],
      [4900, null, [], "VIREMENT SANS REFERENCE", "2027-01-15"],
    ]);
    expect(parsed.lines.map((line) => line.id.split(":")[0])).toEqual(["bank", "bank", "line"]);
  });

  it("reads a camt.053.001.08 (status as a code, debtor as a party, a date and time)", () => {
    const parsed = parseStatement(CAMT_08);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.lines).toMatchObject([
      {
        amountCents: 123456,
        payer: "Université de Lille",
        text: "Bon de commande 4500012345 REF_C",
        bookedOn: "2027-02-01",
      },
    ]);
  });

  it("reads a French bank's CSV (semicolons, decimal commas, accents in the header) and an English one", () => {
    const french = parseStatement(
      "\uFEFFDate d'opération;Libellé;Montant;Devise\n15/01/2027;VIR ACME REF_A;1 234,56;EUR\n" +
        '16/01/2027;"PRLV; abonnement";-20,00;EUR\n',
    );
    if (!french.ok) throw new Error(french.reason);
    expect(french.lines).toMatchObject([{ bookedOn: "2027-01-15", amountCents: 123456, text: "VIR ACME REF_A" }]);
    expect(french.ignored).toBe(1);
    const english = parseStatement('date,amount,reference,name\n2027-01-15,49.00,"REF_B, thanks",Jane Roe\n');
    expect(english).toMatchObject({
      ok: true,
      lines: [{ amountCents: 4900, payer: "Jane Roe", text: "REF_B, thanks" }],
    });
  });

  it("gives every line the same id when the same statement is read again, and tells identical lines apart", () => {
    const csv = "date;montant;libelle\n15/01/2027;49,00;VIREMENT\n15/01/2027;49,00;VIREMENT\n";
    const first = parseStatement(csv);
    const again = parseStatement(csv);
    if (!first.ok || !again.ok) throw new Error("unreadable");
    expect(first.lines.map((line) => line.id)).toEqual(again.lines.map((line) => line.id));
    expect(new Set(first.lines.map((line) => line.id)).size).toBe(2);
  });

  it("says what is wrong with a file that is not a statement, without the XML parser's words", () => {
    expect(parseStatement("   ")).toEqual({ ok: false, reason: "empty" });
    expect(parseStatement("<html><body>hello</body></html>")).toEqual({ ok: false, reason: "not_a_statement" });
    expect(parseStatement("<!doctype html>\n<html><body><p>Bonjour<br></body></html>")).toEqual({
      ok: false,
      reason: "not_a_statement",
    });
    expect(parseStatement("<Document><unclosed>")).toEqual({ ok: false, reason: "not_a_statement" });
    // A camt.053 cut short (a download that stopped) is one, unreadable.
    expect(parseStatement(CAMT_02.slice(0, 600))).toEqual({ ok: false, reason: "unreadable" });
    expect(parseStatement("when,how much\n2027-01-01,3\n")).toEqual({ ok: false, reason: "not_a_statement" });
    expect(parseStatement("Bonjour,\nvoici le relevé.\n")).toEqual({ ok: false, reason: "not_a_statement" });
    expect(parseStatement("Date;Montant\n15/01/2027;49,00\n")).toEqual({
      ok: false,
      reason: "missing_columns",
      detail: "text",
    });
  });

  it("skips the CSV lines it cannot read, with their line and why; debits are ignored, never skipped", () => {
    const csv = [
      "",
      "Date;Montant;Libellé;Devise",
      "11/26/2026;199.00;VIR RF67 JB6H HYHG;EUR",
      "31/02/2026;49,00;VIR ACME;EUR",
      '15/01/2027;abc;"VIR sur',
      'deux lignes";EUR',
      "15/01/2027;199.00 EUR;VIR ACME;EUR",
      "15/01/2027;49,00",
      "15/01/2027;-12,50;Frais;EUR",
      "15/01/2027;49,00;VIR ACME;EURO",
      `15/01/2027;49,00;${"x".repeat(900_000)};EUR`,
      "2027-02-29;49,00;VIR ACME;EUR",
      "15/01/2027;49,00;VIR ACME;EUR",
      "",
    ].join("\r\n");
    const parsed = parseStatement(csv);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.lines).toMatchObject([{ bookedOn: "2027-01-15", amountCents: 4900, text: "VIR ACME" }]);
    expect(parsed.ignored).toBe(1);
    expect(parsed.skipped).toEqual([
      { line: 3, reason: "date", value: "11/26/2026" },
      { line: 4, reason: "date", value: "31/02/2026" },
      { line: 5, reason: "amount", value: "abc" },
      { line: 7, reason: "amount", value: "199.00 EUR" },
      { line: 8, reason: "columns", value: "" },
      { line: 10, reason: "currency", value: "EURO" },
      { line: 11, reason: "too_long", value: "" },
      { line: 12, reason: "date", value: "2027-02-29" },
    ]);
  });

  it("skips the camt.053 entries it cannot read, with the line each starts on", () => {
    const broken = CAMT_02.replace(
      "<Dt>2027-01-15</Dt></BookgDt><AcctSvcrRef>",
      "<Dt>2027-02-30</Dt></BookgDt><AcctSvcrRef>",
    ).replace(
      '<Amt Ccy="EUR">49.00</Amt></TxAmt></AmtDtls>\n      <RmtInf><Ustrd>VIREMENT',
      '<Amt Ccy="EUR">49 EUR</Amt></TxAmt></AmtDtls>\n      <RmtInf><Ustrd>VIREMENT',
    );
    const parsed = parseStatement(broken);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.lines.map((line) => line.text)).toEqual(["Inscription conference REF_B merci"]);
    expect(parsed.ignored).toBe(2);
    expect(parsed.skipped).toEqual([
      { line: 8, reason: "date", value: "2027-02-30" },
      { line: 22, reason: "amount", value: "49 EUR" },
    ]);
  });

  it("reads amounts without floating point", () => {
    expect(
      ["0,10", "1.234,56", "1,234.56", "+49", "1 000", "-12,5", "12.345", "abc", "1,2,3"].map(amountCents),
    ).toEqual([10, 123456, 123456, 4900, 100000, -1250, 1234500, null, null]);
  });
});

describe("matching a statement to the orders awaiting a transfer", () => {
  it("matches by reference and amount; tells partial, overpaid, paid twice, another currency, unknown", () => {
    const order = (reference: string, amountDueCents: number, orderId = reference) => ({
      orderId,
      reference,
      amountDueCents,
      currency: "EUR",
    });
    const awaited = [order("3PQ1-HY2H", 14700), order("N4FX-8FGV", 4900), order("M914-2AGF", 9800)];
    const csv =
      "date;montant;devise;libelle\n" +
      `15/01/2027;147,00;EUR;VIR ACME ${printedTransferReference(transferReferenceFor("3PQ1-HY2H"))}\n` +
      "15/01/2027;50,00;EUR;inscription N4FX-8FGV\n" +
      "15/01/2027;49,00;EUR;encore N4FX-8FGV\n" +
      "15/01/2027;49,00;EUR;M914-2AGF moitie\n" +
      "15/01/2027;98,00;USD;M914-2AGF\n" +
      "15/01/2027;98,00;EUR;ZZZZ-ZZZZ\n";
    const parsed = parseStatement(csv);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(matchStatement(parsed.lines, awaited).map(({ line: _line, ...match }) => match)).toEqual([
      { outcome: "matched", orderId: "3PQ1-HY2H" },
      { outcome: "overpaid", orderId: "N4FX-8FGV", extraCents: 100 },
      { outcome: "duplicate", orderId: "N4FX-8FGV" },
      { outcome: "partial", orderId: "M914-2AGF", missingCents: 4900 },
      { outcome: "wrong_currency", orderId: "M914-2AGF" },
      { outcome: "unknown" },
    ]);
  });
});
