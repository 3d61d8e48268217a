import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { localized } from "@/lib/i18n/format";
import { editionForPage } from "./edition-for-page";
import { currentLocale } from "@/lib/i18n/page-locale";

type Section =
  | "tabDashboard"
  | "tabAttendees"
  | "tabTicketTypes"
  | "tabQuestions"
  | "tabSettings"
  | "tabAudit"
  | "tabAllocations"
  | "tabWaitingList";

/** An edition page's title: its section, which the edition layout's template follows with the edition's name. */
export async function sectionTitle(section: Section): Promise<Metadata> {
  return { title: (await getTranslations("adminEditions"))(section) };
}

/**
 * The dashboard's title in full: it shares the edition layout's segment, and a layout's template
 * only applies to the segments below it.
 */
export async function dashboardTitle(params: Promise<{ slug: string }>): Promise<Metadata> {
  const { edition } = await editionForPage(params);
  const name = localized(edition, "name", await currentLocale());
  const [sections, admin] = [await getTranslations("adminEditions"), await getTranslations("admin")];
  return { title: { absolute: `${sections("tabDashboard")} · ${name} · ${admin("title")}` } };
}
