import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { locales, type Locale } from "@/lib/i18n/locales";
import { looksLikeAccessToken } from "@/lib/orders/codes";

export type EmailLanguageChange = { ok: true; locale: Locale } | { ok: false; reason: "not_found" | "invalid" };

/**
 * The language a group attendee's emails come in (organisers' messages, reminders, certificate), chosen on their own
 * ticket page: they never chose one, their buyer did (`Ticket.locale`; null: the order's).
 */
export async function setTicketEmailLanguage(
  db: Db,
  accessToken: string,
  input: unknown,
): Promise<EmailLanguageChange> {
  const locale = z.enum(locales).safeParse(input);
  if (!locale.success) return { ok: false, reason: "invalid" };
  if (!looksLikeAccessToken(accessToken)) return { ok: false, reason: "not_found" };
  const { count } = await db.ticket.updateMany({ where: { accessToken }, data: { locale: locale.data } });
  return count === 1 ? { ok: true, locale: locale.data } : { ok: false, reason: "not_found" };
}
