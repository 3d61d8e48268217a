import { printedTransferReference, transferReferenceFor } from "@/lib/payments/transfer-reference";

const euros = (cents: number) => (cents / 100).toFixed(2);
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const bankReference = (bookedOn: string, index: number, reference: string) =>
  `STMT-${bookedOn}-${String(index + 1).padStart(4, "0")}-${escape(reference.replace(/\s+/g, "-"))}`;

/**
 * A bank statement (camt.053.001.08, as a French bank sends it) of credits paying the given orders: each quotes its
 * order's creditor reference in the structured field (CdtrRefInf), booked on `bookedOn` (YYYY-MM-DD), with a bank
 * reference of its own (the same for the same payment, so importing the file twice reads the same lines).
 * A payment whose `reference` is not an order reference ("X") is quoted as free text, as an unknown transfer is.
 */
export function camt053Statement(payments: { reference: string; amountCents: number; bookedOn: string }[]): string {
  const entries = payments.map((payment, index) => {
    const isOrder = /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(payment.reference);
    const remittance = isOrder
      ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp>` +
        `<Ref>${printedTransferReference(transferReferenceFor(payment.reference))}</Ref></CdtrRefInf></Strd>`
      : `<Ustrd>${escape(payment.reference)}</Ustrd>`;
    return `
   <Ntry>
    <Amt Ccy="EUR">${euros(payment.amountCents)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>${payment.bookedOn}</Dt></BookgDt><ValDt><Dt>${payment.bookedOn}</Dt></ValDt>
    <AcctSvcrRef>${bankReference(payment.bookedOn, index, payment.reference)}</AcctSvcrRef>
    <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
    <NtryDtls><TxDtls>
     <RltdPties><Dbtr><Pty><Nm>Payer ${index + 1}</Nm></Pty></Dbtr></RltdPties>
     <RmtInf>${remittance}</RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>`;
  });
  const total = payments.reduce((sum, payment) => sum + payment.amountCents, 0);
  const day = payments[0]?.bookedOn ?? "2027-01-01";
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>STMT-${day}</MsgId><CreDtTm>${day}T18:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>${day}</Id>
   <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
   <TxsSummry>
    <TtlCdtNtries><NbOfNtries>${payments.length}</NbOfNtries><Sum>${euros(total)}</Sum></TtlCdtNtries>
   </TxsSummry>${entries.join("")}
  </Stmt>
 </BkToCstmrStmt>
</Document>
`;
}
