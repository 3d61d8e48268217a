import { getLocale, getTranslations } from "next-intl/server";
import { db } from "@/lib/db/prisma";
import { formatDateTime } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { editionForPage } from "../edition-for-page";

const SHOWN = 300;

function Change({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  return (
    <ul className="change">
      {Object.entries(value as Record<string, unknown>).map(([key, field]) => (
        <li key={key}>
          <span className="muted">{key}</span> {typeof field === "string" ? field : JSON.stringify(field)}
        </li>
      ))}
    </ul>
  );
}

export default async function AuditPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const locale = (await getLocale()) as Locale;
  const t = await getTranslations("audit");
  const actions = await getTranslations("attendees");
  const entries = await db().auditEntry.findMany({ where: { editionId: edition.id }, orderBy: { createdAt: "desc" }, take: SHOWN });
  return (
    <>
      <h2>{t("title")}</h2>
      <p className="muted">{t("intro", { shown: SHOWN })}</p>
      {entries.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("who")}</th>
                <th scope="col">{t("what")}</th>
                <th scope="col">{t("before")}</th>
                <th scope="col">{t("after")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.createdAt, edition.timeZone, locale)}</td>
                  <td>{entry.actorEmail}</td>
                  <td>
                    {actions.has(`auditAction.${entry.action}`) ? actions(`auditAction.${entry.action}`) : entry.action}
                    <br />
                    <span className="muted">
                      {entry.subjectType} {entry.subjectId?.slice(0, 8)}
                    </span>
                  </td>
                  <td>
                    <Change value={entry.before} />
                  </td>
                  <td>
                    <Change value={entry.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
