import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { DataTable } from "@/components/admin/data-table";
import { SpeakerImportForm } from "@/components/admin/speaker-import-form";
import { db } from "@/lib/db/prisma";
import { adminEditionPath, adminVoucherExportPath, adminVoucherReportPath } from "@/lib/http/paths";
import { formatDateTime, localized } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/locales";
import { currentLocale } from "@/lib/i18n/page-locale";
import { utcToZonedLocal } from "@/lib/time/zoned";
import { describeEffect } from "@/lib/vouchers/describe";
import { listVouchers, voucherState, voucherTags, type ListedVoucher } from "@/lib/vouchers/list";
import { VOUCHER_EFFECTS } from "@/lib/vouchers/voucher";
import { editionForPage } from "../edition-for-page";
import { createVouchersAction, importSpeakersAction, setVoucherActiveAction, updateVoucherAction } from "./actions";

type Translate = (key: string, values?: Record<string, string | number>) => string;
type Edition = Awaited<ReturnType<typeof editionForPage>>["edition"];
type Block = { id: string; name: string; releasedAt: Date | null };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("voucherAdmin"))("tab") };
}

const amountOf = (cents: number | null) => (cents === null ? "" : (cents / 100).toFixed(2));

/** The rules a voucher has, created or edited: the same fields, filled from `voucher` when editing. */
function ruleFields(t: Translate, edition: Edition, blocks: Block[], locale: Locale, voucher?: ListedVoucher) {
  const local = (date: Date | null | undefined) => (date ? utcToZonedLocal(date, edition.timeZone) : "");
  const named = new Set(voucher?.ticketTypes.map((link) => link.ticketTypeId));
  const fields: FieldSpec[] = [
    {
      name: "effect",
      label: t("field.effect"),
      type: "select",
      required: true,
      defaultValue: voucher?.effect ?? "PERCENT_OFF",
      options: VOUCHER_EFFECTS.map((effect) => ({ value: effect, label: t(`effectChoice.${effect}`) })),
    },
    {
      name: "percentOff",
      label: t("field.percentOff"),
      type: "number",
      inputMode: "numeric",
      hint: t("field.percentOffHint"),
      defaultValue: voucher?.percentOff?.toString() ?? "",
    },
    {
      name: "amount",
      label: t("field.amount", { currency: edition.currency }),
      inputMode: "decimal",
      hint: t("field.amountHint"),
      defaultValue: amountOf(voucher?.amountCents ?? null),
    },
    ...edition.ticketTypes.map((type, index): FieldSpec => ({
      name: "ticketTypeIds",
      value: type.id,
      type: "checkbox",
      label: t(type.hidden ? "field.appliesToHidden" : "field.appliesTo", { name: localized(type, "name", locale) }),
      hint: index === 0 ? t("field.typesHint") : undefined,
      defaultValue: named.has(type.id) ? "on" : "",
    })),
    {
      name: "maxUses",
      label: t("field.maxUses"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("field.maxUsesHint"),
      defaultValue: String(voucher?.maxUses ?? 1),
    },
    {
      name: "maxUsesPerOrder",
      label: t("field.maxUsesPerOrder"),
      type: "number",
      inputMode: "numeric",
      hint: t("field.maxUsesPerOrderHint"),
      defaultValue: voucher?.maxUsesPerOrder?.toString() ?? "",
    },
    {
      name: "validFrom",
      label: t("field.validFrom"),
      type: "datetime-local",
      hint: t("field.validHint", { zone: edition.timeZone }),
      defaultValue: local(voucher?.validFrom),
    },
    {
      name: "validUntil",
      label: t("field.validUntil"),
      type: "datetime-local",
      hint: t("field.validHint", { zone: edition.timeZone }),
      defaultValue: local(voucher?.validUntil),
    },
    { name: "tag", label: t("field.tag"), hint: t("field.tagHint"), defaultValue: voucher?.tag ?? "" },
    { name: "note", label: t("field.note"), type: "textarea", defaultValue: voucher?.note ?? "" },
  ];
  if (blocks.length > 0) {
    fields.push({
      name: "allocationId",
      label: t("field.allocation"),
      type: "select",
      hint: t("field.allocationHint"),
      defaultValue: voucher?.allocationId ?? "",
      options: [
        { value: "", label: t("field.noAllocation") },
        ...blocks.map((block) => ({ value: block.id, label: block.name })),
      ],
    });
  }
  fields.push({
    name: "active",
    label: t("field.active"),
    type: "checkbox",
    hint: voucher ? undefined : t("field.activeHint"),
    defaultValue: voucher === undefined || voucher.active ? "on" : "",
  });
  return fields;
}

type PageProps = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** A choice of one of the edition's tags, or all: the list's filter and the CSV's. */
function TagSelect(props: { id: string; label: string; all: string; tags: string[]; tag: string | undefined }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} name="tag" defaultValue={props.tag ?? ""}>
        <option value="">{props.all}</option>
        {props.tags.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

const one = (value: string | string[] | undefined) => (typeof value === "string" && value ? value : undefined);

export default async function VouchersPage({ params, searchParams }: PageProps) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("voucherAdmin");
  const query = await searchParams;
  const tag = one(query.tag);
  const [vouchers, tags, blocks] = await Promise.all([
    listVouchers(db(), edition.id, { tag }),
    voucherTags(db(), edition.id),
    db().seatAllocation.findMany({
      where: { editionId: edition.id, kind: "BLOCK" },
      select: { id: true, name: true, releasedAt: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const editing = vouchers.find((voucher) => voucher.id === one(query.edit));
  const hidden = { editionId: edition.id };
  const now = new Date();
  const typeNames = new Map(edition.ticketTypes.map((type) => [type.id, localized(type, "name", locale)]));
  const when = (date: Date) => formatDateTime(date, edition.timeZone, locale);
  const validity = (voucher: ListedVoucher) =>
    voucher.validFrom && voucher.validUntil
      ? t("validity", { start: when(voucher.validFrom), end: when(voucher.validUntil) })
      : voucher.validFrom
        ? t("validityFrom", { start: when(voucher.validFrom) })
        : voucher.validUntil
          ? t("validityUntil", { end: when(voucher.validUntil) })
          : t("always");
  const hiddenType = edition.ticketTypes.find((type) => type.hidden) ?? edition.ticketTypes[0];
  return (
    <>
      <h2>{t("title")}</h2>
      <p className="hint">{t("intro")}</p>
      <p>
        <a href={adminVoucherReportPath(edition.slug)}>{t("report.link")}</a>
      </p>

      <form
        method="get"
        action={adminEditionPath(edition.slug, "vouchers")}
        className="filters"
        role="search"
        aria-label={t("filterTitle")}
      >
        <TagSelect id="voucher-tag-filter" label={t("filterTag")} all={t("allTags")} tags={tags} tag={tag} />
        <div>
          <button type="submit" className="button button-secondary">
            {t("filter")}
          </button>
        </div>
      </form>

      <p role="status" data-testid="voucher-count">
        {t("count", { count: vouchers.length })}
      </p>
      {vouchers.length === 0 ? (
        <p>{tag ? t("noneWithTag") : t("none")}</p>
      ) : (
        <DataTable
          caption={t("caption")}
          testId="voucher-list"
          rows={vouchers}
          rowKey={(voucher) => voucher.id}
          columns={[
            { header: t("column.code"), rowHeader: true, cell: (voucher) => <code>{voucher.code}</code> },
            {
              header: t("column.effect"),
              cell: (voucher) => describeEffect(t, voucher, edition.currency, locale),
            },
            {
              header: t("column.types"),
              cell: (voucher) =>
                voucher.ticketTypes.length === 0
                  ? t("allTypes")
                  : voucher.ticketTypes.map((link) => typeNames.get(link.ticketTypeId)).join(", "),
            },
            {
              header: t("column.uses"),
              number: true,
              cell: (voucher) => (
                <>
                  {t("uses", { used: voucher.used, max: voucher.maxUses })}
                  {voucher.maxUsesPerOrder !== null && (
                    <span className="hint cell-note">{t("perOrder", { max: voucher.maxUsesPerOrder })}</span>
                  )}
                </>
              ),
            },
            { header: t("column.tag"), cell: (voucher) => <span className="wrap-anywhere">{voucher.tag ?? ""}</span> },
            ...(blocks.length > 0
              ? [{ header: t("column.block"), cell: (voucher: ListedVoucher) => voucher.allocation?.name ?? "" }]
              : []),
            {
              // The state and the window that explains it share a column, so the table fits a laptop's width.
              header: t("column.status"),
              cell: (voucher) => {
                const state = voucherState(voucher, now);
                return (
                  <>
                    <span className={`badge ${state === "active" ? "status-open" : "status-closed"}`}>
                      {t(`state.${state}`)}
                    </span>
                    <span className="hint cell-note">{validity(voucher)}</span>
                  </>
                );
              },
            },
            {
              header: t("column.actions"),
              cell: (voucher) => (
                <>
                  <a
                    href={`${adminEditionPath(edition.slug, "vouchers", { tag, edit: voucher.id })}#edit`}
                    aria-label={t("editLabel", { code: voucher.code })}
                  >
                    {t("edit")}
                  </a>{" "}
                  <ActionButton
                    action={setVoucherActiveAction}
                    hidden={{ ...hidden, voucherId: voucher.id, active: voucher.active ? "false" : "true" }}
                    label={voucher.active ? t("deactivate") : t("reactivate")}
                    accessibleLabel={t(voucher.active ? "deactivateLabel" : "reactivateLabel", { code: voucher.code })}
                    confirm={voucher.active ? t("deactivateConfirm") : undefined}
                    danger={voucher.active}
                  />
                </>
              ),
            },
          ]}
        />
      )}

      {editing && (
        <section id="edit" aria-labelledby="edit-voucher-title">
          <h2 id="edit-voucher-title">{t("editTitle", { code: editing.code })}</h2>
          <AdminForm
            key={editing.id}
            action={updateVoucherAction}
            fields={ruleFields(t, edition, blocks, locale, editing)}
            hidden={{ ...hidden, voucherId: editing.id }}
            submitLabel={t("save")}
            idPrefix={`voucher-${editing.id}`}
          />
          <p>
            <a href={adminEditionPath(edition.slug, "vouchers", { tag })}>{t("closeEdit")}</a>
          </p>
        </section>
      )}

      <section aria-labelledby="export-title">
        <h2 id="export-title">{t("export.title")}</h2>
        <form method="get" action={adminVoucherExportPath(edition.slug)} className="filters">
          <TagSelect id="export-tag" label={t("export.tag")} all={t("export.allTags")} tags={tags} tag={tag} />
          <div className="field">
            <label htmlFor="export-language">{t("export.language")}</label>
            <select id="export-language" name="lang" defaultValue="fr">
              <option value="fr">{t("export.fr")}</option>
              <option value="en">{t("export.en")}</option>
            </select>
          </div>
          <div>
            <button type="submit" className="button button-secondary">
              {t("export.download")}
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="create-voucher-title">
        <h2 id="create-voucher-title">{t("createTitle")}</h2>
        <p className="hint">{t("createIntro")}</p>
        <AdminForm
          action={createVouchersAction}
          fields={[
            { name: "code", label: t("field.code"), required: true, hint: t("field.codeHint") },
            ...ruleFields(t, edition, blocks, locale),
          ]}
          hidden={hidden}
          submitLabel={t("create")}
          idPrefix="new-voucher"
        />
      </section>

      <section aria-labelledby="generate-vouchers-title">
        <h2 id="generate-vouchers-title">{t("generateTitle")}</h2>
        <p className="hint">{t("generateIntro")}</p>
        <AdminForm
          action={createVouchersAction}
          fields={[
            {
              name: "count",
              label: t("field.count"),
              type: "number",
              inputMode: "numeric",
              required: true,
              hint: t("field.countHint"),
              defaultValue: "10",
            },
            { name: "prefix", label: t("field.prefix"), hint: t("field.prefixHint") },
            ...ruleFields(t, edition, blocks, locale),
          ]}
          hidden={hidden}
          submitLabel={t("generate")}
          idPrefix="generate-vouchers"
        />
      </section>

      {edition.ticketTypes.length > 0 && (
        <section aria-labelledby="speakers-title">
          <h2 id="speakers-title">{t("speakers.title")}</h2>
          <p className="hint">{t("speakers.intro")}</p>
          <SpeakerImportForm
            action={importSpeakersAction}
            editionId={edition.id}
            defaultTicketTypeId={hiddenType?.id}
            blocks={blocks.filter((block) => block.releasedAt === null)}
            ticketTypes={edition.ticketTypes.map((type) => ({
              id: type.id,
              label: type.hidden
                ? `${localized(type, "name", locale)} (${t("ticketType.hiddenBadge")})`
                : localized(type, "name", locale),
            }))}
          />
        </section>
      )}
    </>
  );
}
