import "server-only";
import { findCodeForVisitor } from "@/lib/abuse/public-callers";
import type { EditionOffer } from "@/lib/editions/queries";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { offerWithCode, type RedeemableVoucher, type TicketTypeWithCode } from "@/lib/vouchers/redeem";
import type { CodeState } from "@/components/voucher-code";

/** The code in a public page's address (?code=), looked up for the visitor, and the edition's offer with it. */
export async function offerWithCodeFromQuery(
  offer: EditionOffer,
  query: Record<string, string | string[] | undefined>,
  locale: Locale,
): Promise<{ voucher: RedeemableVoucher | null; state: CodeState; ticketTypes: TicketTypeWithCode[] }> {
  const typed = typeof query.code === "string" ? query.code.trim() : "";
  const lookup = typed ? await findCodeForVisitor(offer.edition.id, typed, new Date()) : null;
  const voucher = lookup?.ok ? lookup.voucher : null;
  const ticketTypes = offerWithCode(offer, voucher, offer.edition.currency);
  if (!lookup) return { voucher, state: { kind: "none" }, ticketTypes };
  if (!lookup.ok) return { voucher, state: { kind: "refused", typed, reason: lookup.reason }, ticketTypes };
  const unlocked = ticketTypes.filter((type) => type.hidden).map((type) => localized(type, "name", locale));
  const { code, pricing, maxUsesPerOrder } = lookup.voucher;
  const state = { kind: "applied", code, pricing, unlocked, perOrder: maxUsesPerOrder } as const;
  return { voucher, state, ticketTypes };
}
