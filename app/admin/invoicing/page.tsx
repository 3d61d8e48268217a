import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { requirePermission } from "@/lib/auth/actor";
import { db } from "@/lib/db/prisma";
import type { OrganiserProfile } from "@/lib/generated/prisma/client";
import { formatDateTime } from "@/lib/i18n/format";
import { currentLocale } from "@/lib/i18n/page-locale";
import {
  DEFAULT_PAYMENT_TERM_DAYS,
  loadOrganiserProfile,
  organiserProfileHistory,
} from "@/lib/invoices/organiser-profile";
import { saveInvoicingSettingsAction } from "./actions";

// The settings belong to no edition: their history is shown in Paris time, where the organisers are.
const TIME_ZONE = "Europe/Paris";

type Translate = (key: string) => string;

// Amounts and rates as typed back into the form: "37000.50", "12.5".
const hundredths = (value: bigint | number | null) =>
  value === null ? "" : (Number(value) / 100).toFixed(2).replace(/\.00$/, "");

function settingsFields(t: Translate, profile: OrganiserProfile | null): FieldSpec[] {
  const text = (name: keyof OrganiserProfile & string, required = true, hint = false): FieldSpec => ({
    name,
    label: t(name),
    required,
    hint: hint ? t(`${name}Hint`) : undefined,
    defaultValue: profile ? String(profile[name] ?? "") : "",
  });
  const line = (index: number) => profile?.addressLines[index] ?? "";
  return [
    { ...text("legalName", true, true) },
    { ...text("legalForm", true, true) },
    {
      name: "shareCapital",
      label: t("shareCapital"),
      inputMode: "decimal",
      hint: t("shareCapitalHint"),
      defaultValue: profile ? hundredths(profile.shareCapitalCents) : "",
    },
    { name: "addressLine1", label: t("addressLine1"), required: true, defaultValue: line(0) },
    { name: "addressLine2", label: t("addressLine2"), defaultValue: line(1) },
    { name: "addressLine3", label: t("addressLine3"), defaultValue: line(2) },
    { ...text("postcode") },
    { ...text("city") },
    { ...text("country", true, true), defaultValue: profile?.country ?? "FR" },
    { ...text("siren", true, true), inputMode: "numeric" },
    { ...text("siret", true, true), inputMode: "numeric" },
    { ...text("rcs", false, true) },
    { ...text("vatNumber", false, true) },
    {
      name: "vatFranchise",
      label: t("vatFranchise"),
      type: "checkbox",
      hint: t("vatFranchiseHint"),
      defaultValue: profile?.vatFranchise ? "on" : "",
    },
    { ...text("iban", true, true) },
    { ...text("bic", true, true) },
    { ...text("email"), type: "email", autoComplete: "email" },
    {
      name: "paymentTermDays",
      label: t("paymentTermDays"),
      type: "number",
      inputMode: "numeric",
      required: true,
      hint: t("paymentTermDaysHint"),
      defaultValue: String(profile?.paymentTermDays ?? DEFAULT_PAYMENT_TERM_DAYS),
    },
    {
      name: "latePenaltyRate",
      label: t("latePenaltyRate"),
      inputMode: "decimal",
      hint: t("latePenaltyRateHint"),
      defaultValue: profile ? hundredths(profile.latePenaltyBasisPoints) : "",
    },
    { ...text("invoicePrefix", true, true) },
  ];
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("invoicingSettings"))("title") };
}

export default async function InvoicingSettingsPage() {
  await requirePermission("invoicing:manage");
  const locale = await currentLocale();
  const t = await getTranslations("invoicingSettings");
  const audit = await getTranslations("staffAndAudit.audit");
  const [profile, history] = await Promise.all([loadOrganiserProfile(db()), organiserProfileHistory(db())]);
  const fieldLabel = (field: string) => (audit.has(`field.${field}`) ? audit(`field.${field}`) : field);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <p role="status" className={profile ? "muted" : "notice"}>
        {profile ? t("configured") : t("notConfigured")}
      </p>
      <AdminForm
        action={saveInvoicingSettingsAction}
        fields={settingsFields(t, profile)}
        submitLabel={t("save")}
        idPrefix="invoicing"
      />
      <section aria-labelledby="invoicing-history">
        <h2 id="invoicing-history">{t("history")}</h2>
        {history.length === 0 ? (
          <p>{t("historyNone")}</p>
        ) : (
          <ul>
            {history.map((entry) => (
              <li key={entry.id}>
                {t("historyEntry", {
                  when: formatDateTime(entry.createdAt, TIME_ZONE, locale),
                  who: entry.actorEmail,
                  fields: entry.fields.map(fieldLabel).join(", "),
                })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
