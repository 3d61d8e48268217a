import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { DataTable } from "@/components/admin/data-table";
import { DoneNotice } from "@/components/admin/done-notice";
import { db } from "@/lib/db/prisma";
import { adminEditionPath } from "@/lib/http/paths";
import { formatDateTime, localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { currentLocale } from "@/lib/i18n/page-locale";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { listAllocations, type AllocationRow } from "@/lib/vouchers/allocations";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { releaseAllocationAction, saveAllocationAction } from "./actions";

type Translate = (key: string, values?: Record<string, string | number>) => string;
type Edition = Awaited<ReturnType<typeof editionForPage>>["edition"];

function blockFields(t: Translate, edition: Edition, locale: Locale, block?: AllocationRow): FieldSpec[] {
  return [
    { name: "name", label: t("name"), required: true, hint: t("nameHint"), defaultValue: block?.name },
    {
      name: "seats",
      label: t("seats"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: block && block.used > 0 ? t("seatsUsedHint", { used: block.used }) : undefined,
      defaultValue: block?.seats.toString(),
    },
    {
      name: "ticketTypeId",
      label: t("ticketType"),
      type: "select",
      hint: t("ticketTypeHint"),
      defaultValue: block?.ticketTypeId ?? "",
      options: [
        { value: "", label: t("anyType") },
        ...edition.ticketTypes.map((type) => ({ value: type.id, label: localized(type, "name", locale) })),
      ],
    },
    {
      name: "releaseAt",
      label: t("releaseAt"),
      type: "datetime-local",
      required: true,
      hint: t("releaseAtHint", { zone: edition.timeZone }),
      defaultValue: block ? utcToZonedLocal(block.releaseAt, edition.timeZone) : "",
    },
  ];
}

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabAllocations");

export default async function AllocationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ done?: string | string[] }>;
}) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("allocations");
  const blocks = await listAllocations(db(), edition.id);
  const hidden = { editionId: edition.id };
  const when = (date: Date) => formatDateTime(date, edition.timeZone, locale);
  return (
    <>
      <h2>{t("title")}</h2>
      <DoneNotice done={(await searchParams).done} />
      <p>{t("intro")}</p>
      {blocks.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <DataTable
          caption={t("title")}
          rows={blocks}
          rowKey={(block) => block.id}
          testId="allocations"
          columns={[
            { header: t("name"), rowHeader: true, cell: (block) => block.name },
            {
              header: t("ticketType"),
              cell: (block) => (block.ticketType ? localized(block.ticketType, "name", locale) : t("anyType")),
            },
            { header: t("seats"), number: true, cell: (block) => block.seats },
            { header: t("used"), number: true, cell: (block) => block.used },
            { header: t("left"), number: true, cell: (block) => block.left },
            {
              header: t("release"),
              cell: (block) =>
                block.releasedAt
                  ? t("releasedOn", { date: when(block.releasedAt) })
                  : t("releasesOn", { date: when(block.releaseAt) }),
            },
            { header: t("codes"), number: true, cell: (block) => block.codes },
          ]}
        />
      )}
      {blocks.some((block) => !block.releasedAt) && (
        <ul className="admin-list">
          {blocks
            .filter((block) => !block.releasedAt)
            .map((block) => (
              <li key={block.id} className="card">
                <details>
                  <summary>{t("edit", { name: block.name })}</summary>
                  <AdminForm
                    action={saveAllocationAction}
                    fields={blockFields(t, edition, locale, block)}
                    hidden={{ ...hidden, allocationId: block.id }}
                    submitLabel={t("save")}
                    idPrefix={`block-${block.id}`}
                  />
                  <ActionButton
                    action={releaseAllocationAction}
                    hidden={{ ...hidden, editionSlug: edition.slug, allocationId: block.id }}
                    label={t("releaseNow")}
                    confirm={t("releaseConfirm", { name: block.name, left: block.left })}
                  />
                </details>
              </li>
            ))}
        </ul>
      )}
      <p>
        <a href={adminEditionPath(edition.slug, "vouchers")}>{t("toCodes")}</a>
      </p>
      <section aria-labelledby="new-block-title">
        <h2 id="new-block-title">{t("addTitle")}</h2>
        <AdminForm
          action={saveAllocationAction}
          fields={blockFields(t, edition, locale)}
          hidden={hidden}
          submitLabel={t("add")}
          idPrefix="new-block"
        />
      </section>
    </>
  );
}
