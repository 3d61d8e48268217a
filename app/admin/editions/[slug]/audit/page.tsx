import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { AUDIT_KINDS, AUDIT_PAGE_SIZE, auditLogPage, parseAuditFilter, type AuditFilter } from "@/lib/audit/log";
import { db } from "@/lib/db/prisma";
import { formatDateTime, formatMoney, localized, zoneName } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { currentLocale } from "@/lib/i18n/page-locale";
import { adminAttendeePath } from "@/lib/http/paths";
import { DataTable } from "@/components/admin/data-table";

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabAudit");

type Query = Record<string, string | string[] | undefined>;
type Words = Awaited<ReturnType<typeof getTranslations<"staffAndAudit.audit">>>;
type Shown = {
  timeZone: string;
  currency: string;
  locale: Locale;
  t: Words;
  /** A block's or ticket type's name by id, a voucher effect's words: what the organiser called them. */
  blockNames: Map<string, string>;
  typeNames: Map<string, string>;
  effectName: (effect: string) => string | undefined;
  /** What a voucher naming no ticket type is valid for. */
  allTypes: string;
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MONEY_FIELDS = new Set(["amountCents", "priceCents"]);
const TYPE_FIELDS = new Set(["ticketTypeId", "ticketTypeIds"]);

// A field named alike in several records but meaning something else: a voucher's `active` is whether the code works.
const labelKeyOf = (subjectType: string, field: string) =>
  subjectType === "voucher" && field === "active" ? "codeActive" : field;

/** One recorded value as the organiser reads it: money, local times, words rather than codes. */
function shownValue(field: string, value: unknown, shown: Shown): string {
  const { t, locale } = shown;
  if (value === null || value === undefined || value === "") return t("empty");
  if (typeof value === "boolean") return t(value ? "yes" : "no");
  if (typeof value === "string" && field === "allocationId") return shown.blockNames.get(value) ?? value;
  if (typeof value === "string" && TYPE_FIELDS.has(field)) return shown.typeNames.get(value) ?? value;
  if (typeof value === "string" && field === "effect") return shown.effectName(value) ?? value;
  if (Array.isArray(value) && value.length === 0) return field === "ticketTypeIds" ? shown.allTypes : t("empty");
  if (typeof value === "number" && MONEY_FIELDS.has(field)) return formatMoney(value, shown.currency, locale);
  if (typeof value === "number" && field === "vatRateBasisPoints") {
    return `${new Intl.NumberFormat(locale).format(value / 100)} %`;
  }
  if (typeof value === "string" && ISO_INSTANT.test(value)) {
    return formatDateTime(new Date(value), shown.timeZone, locale);
  }
  if (typeof value === "string" && t.has(`status.${value}`)) return t(`status.${value}`);
  if (Array.isArray(value)) return value.map((item) => shownValue(field, item, shown)).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${key}: ${shownValue(key, item, shown)}`)
      .join(" · ");
  }
  return String(value);
}

function Change({ value, subjectType, shown }: { value: unknown; subjectType: string; shown: Shown }) {
  if (value === null || value === undefined) return <>—</>;
  const { t } = shown;
  return (
    <ul className="change">
      {Object.entries(value as Record<string, unknown>).map(([field, item]) => (
        <li key={field}>
          <span className="muted">
            {t.has(`field.${labelKeyOf(subjectType, field)}`) ? t(`field.${labelKeyOf(subjectType, field)}`) : field}
          </span>{" "}
          {shownValue(field, item, shown)}
        </li>
      ))}
    </ul>
  );
}

type Subject = { subjectType: string; subjectId: string | null; before: unknown; after: unknown };

// What a block's, a code's or a waiting-list entry's line is about, by the name people gave it: the block's name as
// it is now (as recorded if it is gone), the voucher's code, the waiting person's name.
function subjectName(entry: Subject, names: { blockNames: Map<string, string>; entryNames: Map<string, string> }) {
  const recorded = (key: string) =>
    [entry.after, entry.before]
      .map((values) => (values && typeof values === "object" ? (values as Record<string, unknown>)[key] : undefined))
      .find((value): value is string => typeof value === "string");
  if (entry.subjectType === "allocation") return names.blockNames.get(entry.subjectId ?? "") ?? recorded("name");
  if (entry.subjectType === "waitlist_entry") return names.entryNames.get(entry.subjectId ?? "");
  if (entry.subjectType === "voucher") return recorded("code");
  return undefined;
}

function withQuery(base: string, filter: AuditFilter, before?: string): string {
  const query = new URLSearchParams();
  for (const key of ["kind", "by", "from", "to"] as const) if (filter[key]) query.set(key, filter[key]!);
  if (before) query.set("before", before);
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Query>;
}) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("audit");
  const words = await getTranslations("staffAndAudit.audit");
  const filter = parseAuditFilter(await searchParams);
  const { entries, older, people, ticketNames, blockNames, typeNames, entryNames } = await auditLogPage(
    db(),
    edition,
    filter,
  );
  const voucherWords = await getTranslations("voucherAdmin");
  const shown: Shown = {
    timeZone: edition.timeZone,
    currency: edition.currency,
    locale,
    t: words,
    blockNames,
    typeNames: new Map([...typeNames].map(([id, names]) => [id, localized(names, "name", locale)])),
    effectName: (effect) =>
      voucherWords.has(`effectChoice.${effect}`) ? voucherWords(`effectChoice.${effect}`) : undefined,
    allTypes: voucherWords("allTypes"),
  };
  const base = `/admin/editions/${edition.slug}/audit`;
  const filtered = Boolean(filter.kind || filter.by || filter.from || filter.to);
  return (
    <>
      <h2>{t("title")}</h2>
      <p className="muted">{words("intro", { shown: AUDIT_PAGE_SIZE, zone: zoneName(edition.timeZone, locale) })}</p>
      <form method="get" action={base} className="audit-filters" aria-label={words("filters")}>
        <div className="field">
          <label htmlFor="audit-kind">{words("kind")}</label>
          <select id="audit-kind" name="kind" defaultValue={filter.kind ?? ""}>
            <option value="">{words("allKinds")}</option>
            {AUDIT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {words(`kinds.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-by">{words("person")}</label>
          <select id="audit-by" name="by" defaultValue={filter.by ?? ""}>
            <option value="">{words("allPeople")}</option>
            {people.map((email) => (
              <option key={email} value={email}>
                {email}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{words("from")}</label>
          <input id="audit-from" type="date" name="from" defaultValue={filter.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{words("to")}</label>
          <input id="audit-to" type="date" name="to" defaultValue={filter.to ?? ""} />
        </div>
        <button type="submit" className="button button-secondary">
          {words("apply")}
        </button>
        {filtered && <Link href={base}>{words("reset")}</Link>}
      </form>
      {entries.length === 0 ? (
        <p>{filtered ? words("noneMatching") : t("none")}</p>
      ) : (
        <DataTable
          caption={t("title")}
          rows={entries}
          rowKey={(entry) => entry.id}
          columns={[
            { header: t("when"), cell: (entry) => formatDateTime(entry.createdAt, edition.timeZone, locale) },
            { header: t("who"), cell: (entry) => entry.actorEmail },
            {
              header: t("what"),
              cell: (entry) => {
                const ticketId = entry.subjectType === "ticket" ? entry.subjectId : null;
                const attendee = ticketId ? ticketNames.get(ticketId) : undefined;
                const subject = `subjectType.${entry.subjectType}`;
                const named = subjectName(entry, { blockNames, entryNames });
                return (
                  <>
                    {words.has(`action.${entry.action}`) ? words(`action.${entry.action}`) : entry.action}
                    <br />
                    {attendee ? (
                      <Link href={adminAttendeePath(edition.slug, ticketId ?? "")}>
                        {words("subjectTicket", { name: attendee })}
                      </Link>
                    ) : (
                      <span className="muted">{words.has(subject) ? words(subject) : entry.subjectType}</span>
                    )}
                    {named && (
                      <>
                        <br />
                        {named}
                      </>
                    )}
                  </>
                );
              },
            },
            {
              header: t("before"),
              cell: (entry) => <Change value={entry.before} subjectType={entry.subjectType} shown={shown} />,
            },
            {
              header: t("after"),
              cell: (entry) => <Change value={entry.after} subjectType={entry.subjectType} shown={shown} />,
            },
          ]}
        />
      )}
      <p className="pager">
        {filter.before && <Link href={withQuery(base, filter)}>{words("newest")}</Link>}
        {older && (
          <>
            {filter.before && " · "}
            <Link href={withQuery(base, filter, older)} rel="next">
              {words("older")}
            </Link>
          </>
        )}
      </p>
    </>
  );
}
