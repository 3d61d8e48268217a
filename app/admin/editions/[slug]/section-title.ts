import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

type Section = "tabDashboard" | "tabAttendees" | "tabTicketTypes" | "tabQuestions" | "tabSettings" | "tabAudit";

/** An edition page's title: its section, which the edition layout's template follows with the edition's name. */
export async function sectionTitle(section: Section): Promise<Metadata> {
  return { title: (await getTranslations("adminEditions"))(section) };
}
