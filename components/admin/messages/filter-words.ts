import { getTranslations } from "next-intl/server";
import type { AdminEdition } from "@/components/admin/attendees/admin-edition";
import { questionOptions } from "@/lib/editions/answers";
import { localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { messageFilterOf } from "@/lib/messages/recipients";

/**
 * A message's stored filter as the organiser chose it, one phrase per field ("Ticket type: Speaker", "Answer: Diet:
 * Vegan"); names rather than codes, as the composer's selects showed them. A code no longer in the edition (a deleted
 * option) is shown as stored.
 */
export async function filterWords(edition: AdminEdition, filter: unknown, locale: Locale): Promise<string[]> {
  const t = await getTranslations("messagesAdmin");
  const attendees = await getTranslations("attendees");
  const chosen = messageFilterOf(filter);
  const item = (label: string, value: string) => t("filterItem", { label, value });
  const words: string[] = [];
  if (chosen.ticketType) {
    const type = edition.ticketTypes.find((candidate) => candidate.code === chosen.ticketType);
    words.push(item(t("filter.ticketType"), type ? localized(type, "name", locale) : chosen.ticketType));
  }
  if (chosen.status) words.push(item(t("filter.status"), t(`filter.statusName.${chosen.status}`)));
  if (chosen.checkedIn) words.push(item(t("filter.checkedIn"), t(chosen.checkedIn)));
  if (chosen.named) words.push(item(t("filter.named"), chosen.named === "yes" ? t("yes") : t("filterNamedNo")));
  if (chosen.answer) {
    const [key, value] = chosen.answer.split("=");
    const question = edition.questions.find((candidate) => candidate.key === key);
    const option = question && questionOptions(question).find((candidate) => candidate.value === value);
    const answer = option
      ? localized(option, "label", locale)
      : question?.type === "CHECKBOX" && (value === "true" || value === "false")
        ? t(value === "true" ? "yes" : "no")
        : value;
    const asked = question ? localized(question, "label", locale) : key;
    words.push(item(t("filter.answer"), attendees("answerChoice", { question: asked, answer })));
  }
  if (chosen.voucherTag) words.push(item(t("filter.voucherTag"), chosen.voucherTag));
  if (chosen.abandoned === "show") words.push(t("filterAbandoned"));
  return words;
}
