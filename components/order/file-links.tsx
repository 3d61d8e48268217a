import { getTranslations } from "next-intl/server";

type File = "ticket.pdf" | "calendar.ics";

/** The PDF ticket and the calendar file behind a private link (an order's or a ticket's own). */
export async function FileLinks({ path }: { path: (file: File) => string }) {
  const t = await getTranslations("manage");
  return (
    <p className="links">
      <a className="button button-secondary" href={path("ticket.pdf")} download>
        {t("downloadPdf")}
      </a>
      <a className="button button-secondary" href={path("calendar.ics")} download>
        {t("addToCalendar")}
      </a>
    </p>
  );
}
