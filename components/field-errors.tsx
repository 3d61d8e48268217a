import { useTranslations } from "next-intl";

/** Field-level messages, referenced by the field's aria-describedby. */
export function FieldErrors({ id, codes }: { id: string; codes?: string[] }) {
  const t = useTranslations("fieldError");
  const payments = useTranslations("refunds.fieldError");
  if (!codes?.length) return null;
  return (
    <p id={id} className="field-error">
      {codes.map((code) => (t.has(code) ? t(code) : payments.has(code) ? payments(code) : t("invalid_type"))).join(" ")}
    </p>
  );
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(" ") || undefined;
}
