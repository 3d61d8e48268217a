import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { getSeatUsage } from "@/lib/capacity/seats";
import { db } from "@/lib/db/prisma";
import type { TicketType } from "@/lib/generated/prisma/client";
import { formatDateTime, formatMoney, localized } from "@/lib/i18n/format";
import { formatRate } from "@/lib/i18n/money";
import type { Locale } from "@/lib/i18n/locales";
import { DEFAULT_VAT_RATE_BASIS_POINTS, VAT_RATES_BASIS_POINTS } from "@/lib/money/vat-rates";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { deleteTicketTypeAction, saveTicketTypeAction } from "./actions";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { currentLocale } from "@/lib/i18n/page-locale";

type Translate = (key: string) => string;

type Words = { t: Translate; tGroup: Translate; tVat: Translate; tVoucher: Translate; locale: Locale };

function ticketTypeFields(words: Words, timeZone: string, type?: TicketType): FieldSpec[] {
  const { t, tGroup, tVat, tVoucher, locale } = words;
  const local = (date: Date | null | undefined) => (date ? utcToZonedLocal(date, timeZone) : "");
  return [
    { name: "nameFr", label: t("nameFr"), required: true, defaultValue: type?.nameFr },
    { name: "nameEn", label: t("nameEn"), required: true, defaultValue: type?.nameEn },
    { name: "code", label: t("code"), required: true, hint: t("codeHint"), defaultValue: type?.code },
    {
      name: "price",
      label: t("price"),
      inputMode: "decimal",
      required: true,
      hint: t("priceHint"),
      defaultValue: type ? (type.priceCents / 100).toFixed(2) : "0",
    },
    {
      name: "quota",
      label: t("quota"),
      type: "number",
      inputMode: "numeric",
      hint: t("quotaHint"),
      defaultValue: type?.quota?.toString() ?? "",
    },
    {
      name: "maxPerOrder",
      label: tGroup("maxPerOrder"),
      type: "number",
      inputMode: "numeric",
      hint: tGroup("maxPerOrderHint"),
      defaultValue: type?.maxPerOrder?.toString() ?? "",
    },
    {
      name: "vatRate",
      label: tVat("vatRate"),
      type: "select",
      required: true,
      hint: tVat("vatRateHint"),
      defaultValue: String(type?.vatRateBasisPoints ?? DEFAULT_VAT_RATE_BASIS_POINTS),
      options: VAT_RATES_BASIS_POINTS.map((rate) => ({ value: String(rate), label: formatRate(rate, locale) })),
    },
    {
      name: "vatExemption",
      label: tVat("vatExemption"),
      hint: tVat("vatExemptionHint"),
      defaultValue: type?.vatExemption ?? "",
    },
    { name: "salesStartAt", label: t("salesStartAt"), type: "datetime-local", defaultValue: local(type?.salesStartAt) },
    { name: "salesEndAt", label: t("salesEndAt"), type: "datetime-local", defaultValue: local(type?.salesEndAt) },
    { name: "descriptionFr", label: t("descriptionFr"), type: "textarea", defaultValue: type?.descriptionFr },
    { name: "descriptionEn", label: t("descriptionEn"), type: "textarea", defaultValue: type?.descriptionEn },
    {
      name: "position",
      label: t("position"),
      type: "number",
      inputMode: "numeric",
      defaultValue: String(type?.position ?? 0),
    },
    {
      name: "active",
      label: t("active"),
      type: "checkbox",
      hint: t("activeHint"),
      defaultValue: type === undefined || type.active ? "on" : "",
    },
    {
      name: "hidden",
      label: tVoucher("hidden"),
      type: "checkbox",
      hint: tVoucher("hiddenHint"),
      defaultValue: type?.hidden ? "on" : "",
    },
  ];
}

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabTicketTypes");

export default async function TicketTypesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("ticketTypeForm");
  const tGroup = await getTranslations("groupTicket");
  const tVat = await getTranslations("invoicingSettings");
  const tVoucher = await getTranslations("voucherAdmin.ticketType");
  const words: Words = { t, tGroup, tVat, tVoucher, locale };
  const usage = await getSeatUsage(db(), edition.id, new Date());
  const hidden = { editionId: edition.id };
  return (
    <>
      <h2>{t("title")}</h2>
      {edition.ticketTypes.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ul className="admin-list">
          {edition.ticketTypes.map((type) => {
            const count = usage.byTicketType.get(type.id);
            return (
              <li key={type.id} className="card">
                <h3>
                  {localized(type, "name", locale)} <span className="muted">({type.code})</span>
                  {!type.active && <span className="badge status-closed">{t("inactive")}</span>}
                  {type.hidden && <span className="badge">{tVoucher("hiddenBadge")}</span>}
                </h3>
                <p>
                  {formatMoney(type.priceCents, edition.currency, locale)} ·{" "}
                  {tVat("vatSummary", { rate: formatRate(type.vatRateBasisPoints, locale) })} ·{" "}
                  {t("sold", { confirmed: count?.confirmed ?? 0, held: count?.held ?? 0 })}
                  {type.quota !== null && ` · ${t("quotaOf", { quota: type.quota })}`}
                </p>
                {(type.salesStartAt || type.salesEndAt) && (
                  <p className="muted">
                    {t(
                      type.salesStartAt && type.salesEndAt
                        ? "window"
                        : type.salesStartAt
                          ? "windowFrom"
                          : "windowUntil",
                      {
                        start: type.salesStartAt ? formatDateTime(type.salesStartAt, edition.timeZone, locale) : "",
                        end: type.salesEndAt ? formatDateTime(type.salesEndAt, edition.timeZone, locale) : "",
                      },
                    )}
                  </p>
                )}
                <details>
                  <summary>{t("edit", { name: localized(type, "name", locale) })}</summary>
                  <AdminForm
                    action={saveTicketTypeAction}
                    fields={ticketTypeFields(words, edition.timeZone, type)}
                    hidden={{ ...hidden, ticketTypeId: type.id }}
                    submitLabel={t("save")}
                    idPrefix={`type-${type.id}`}
                  />
                  <ActionButton
                    action={deleteTicketTypeAction}
                    hidden={{ ...hidden, ticketTypeId: type.id }}
                    label={t("delete")}
                    confirm={t("deleteConfirm")}
                    danger
                  />
                </details>
              </li>
            );
          })}
        </ul>
      )}
      <section aria-labelledby="new-type-title">
        <h2 id="new-type-title">{t("addTitle")}</h2>
        <AdminForm
          action={saveTicketTypeAction}
          fields={ticketTypeFields(words, edition.timeZone)}
          hidden={hidden}
          submitLabel={t("add")}
          idPrefix="new-type"
        />
      </section>
    </>
  );
}
