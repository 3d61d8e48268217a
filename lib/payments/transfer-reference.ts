/**
 * The reference a buyer paying by bank transfer quotes: an ISO 11649 creditor reference ("RF" + two check digits
 * + the order's code), which European banks carry from the payer's transfer to the payee's statement in a
 * field of its own (camt.053 CdtrRefInf), and in which a typing mistake does not make another order's (mod 97).
 */
export function transferReferenceFor(orderReference: string): string {
  const code = compact(orderReference);
  if (code.length === 0 || code.length > 21) throw new Error(`transferReferenceFor: ${orderReference} cannot be one`);
  return `RF${String(98 - mod97(`${code}RF00`)).padStart(2, "0")}${code}`;
}

/** The reference printed in groups of four, as on a quote and in banking apps ("RF18 5390 0754 7034"). */
export const printedTransferReference = (reference: string) => reference.replace(/(.{4})(?=.)/g, "$1 ");

/**
 * Whether a statement line's texts quote an order: its creditor reference, however spaced, or its own reference as
 * printed ("3PQ1-HY2H"), which people also type. Looked for as the whole reference, never read out of the text:
 * a reference's check digits would also hold, once in 97, for some other run of characters beside it.
 */
export function quotesOrder(texts: string[], orderReference: string): boolean {
  const creditorReference = transferReferenceFor(orderReference);
  const printed = orderReference.toUpperCase();
  return texts.some((text) => compact(text).includes(creditorReference) || text.toUpperCase().includes(printed));
}

const compact = (text: string) => text.replace(/[^A-Za-z0-9]/g, "").toUpperCase();

function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const digits = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}
