import type { Db } from "@/lib/db/prisma";
import { printedIban } from "@/lib/invoices/identifiers";
import { sellerOf } from "@/lib/invoices/seller";
import { awaitsTransfer } from "./transfer";
import { printedTransferReference, transferReferenceFor } from "./transfer-reference";

/** What a payer needs to pay a transfer order, as its pages show it (the quote prints the same). */
export type TransferDetails = {
  amountCents: number;
  currency: string;
  beneficiary: string;
  iban: string;
  bic: string;
  /** The structured reference to quote, printed in groups of four. */
  reference: string;
  deadline: Date;
  timeZone: string;
};

/**
 * A PENDING transfer order's payment details, or null when it is not awaiting a transfer (paid, lapsed, a card
 * order) or the organiser's bank details are missing.
 */
export async function transferDetailsOf(
  db: Pick<Db, "organiserProfile">,
  order: {
    status: string;
    paymentMethod: "CARD" | "TRANSFER";
    reference: string;
    amountCents: number;
    currency: string;
    holdExpiresAt: Date | null;
    edition: { timeZone: string };
  },
  now: Date,
): Promise<TransferDetails | null> {
  if (!awaitsTransfer(order, now)) return null;
  const seller = await sellerOf(db);
  if (!seller.ok) return null;
  return {
    amountCents: order.amountCents,
    currency: order.currency,
    beneficiary: seller.seller.legalName,
    iban: printedIban(seller.terms.iban),
    bic: seller.terms.bic,
    reference: printedTransferReference(transferReferenceFor(order.reference)),
    deadline: order.holdExpiresAt,
    timeZone: order.edition.timeZone,
  };
}
