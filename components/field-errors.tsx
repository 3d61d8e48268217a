import { useTranslations } from "next-intl";

/** Field-level messages, referenced by the field's aria-describedby. */
export function FieldErrors({ id, codes }: { id: string; codes?: string[] }) {
  const t = useTranslations("fieldError");
  const payments = useTranslations("refunds.fieldError");
  const groups = useTranslations("groupForm.fieldError");
  const reminders = useTranslations("unnamedReminder.fieldError");
  const invoicing = useTranslations("invoicingSettings.fieldError");
  const transfers = useTranslations("transferAdmin.fieldError");
  const vouchers = useTranslations("vouchers.fieldError");
  const voucherAdmin = useTranslations("voucherAdmin.fieldError");
  const waitingList = useTranslations("waitingListAdmin.fieldError");
  const certificates = useTranslations("certificates.settings.fieldError");
  const messages = useTranslations("messagesAdmin.fieldError");
  const remindersForm = useTranslations("remindersForm.fieldError");
  const dataRights = useTranslations("dataRights.fieldError");
  const dataRightsAdmin = useTranslations("dataRights.admin.fieldError");
  if (!codes?.length) return null;
  const text = (code: string) =>
    [
      t,
      payments,
      groups,
      reminders,
      invoicing,
      transfers,
      vouchers,
      voucherAdmin,
      waitingList,
      certificates,
      messages,
      remindersForm,
      dataRights,
      dataRightsAdmin,
    ].find((words) => words.has(code))?.(code) ?? t("invalid_type");
  return (
    <p id={id} className="field-error">
      {codes.map(text).join(" ")}
    </p>
  );
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(" ") || undefined;
}
