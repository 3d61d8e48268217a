import type { StatementLine } from "./bank-statement";
import { quotesOrder } from "./transfer-reference";

/** An order waiting for a transfer: what its buyer must pay, and the reference printed on its quote. */
export type AwaitedTransfer = { orderId: string; reference: string; amountDueCents: number; currency: string };

/**
 * What a statement line is to the orders awaiting a transfer. Only `matched` and `overpaid` confirm an order
 * (the organiser refunds an overpayment's difference); a `partial` payment waits for the rest, with what is
 * missing shown; `unknown` quotes no awaited order; `duplicate` pays an order an earlier line of the same
 * statement already paid.
 */
export type LineMatch =
  | { line: StatementLine; outcome: "matched"; orderId: string }
  | { line: StatementLine; outcome: "overpaid"; orderId: string; extraCents: number }
  | { line: StatementLine; outcome: "partial"; orderId: string; missingCents: number }
  | { line: StatementLine; outcome: "wrong_currency"; orderId: string }
  | { line: StatementLine; outcome: "duplicate"; orderId: string }
  | { line: StatementLine; outcome: "unknown" };

/**
 * Matches each line to the awaited order it quotes (its RF reference or its printed reference, see
 * transfer-reference.ts; the first of the list if it quotes several) and compares amounts. Lines are taken in
 * statement order, so of two payments of one order the first counts and the second is a duplicate to refund.
 */
export function matchStatement(lines: StatementLine[], awaited: AwaitedTransfer[]): LineMatch[] {
  const paid = new Set<string>();
  return lines.map((line): LineMatch => {
    const order = awaited.find((candidate) => quotesOrder([...line.references, line.text], candidate.reference));
    if (!order) return { line, outcome: "unknown" };
    const { orderId } = order;
    if (paid.has(orderId)) return { line, outcome: "duplicate", orderId };
    if (line.currency !== order.currency) return { line, outcome: "wrong_currency", orderId };
    const difference = line.amountCents - order.amountDueCents;
    if (difference < 0) return { line, outcome: "partial", orderId, missingCents: -difference };
    paid.add(orderId);
    return difference === 0
      ? { line, outcome: "matched", orderId }
      : { line, outcome: "overpaid", orderId, extraCents: difference };
  });
}
