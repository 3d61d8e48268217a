import { useLocale, useTranslations } from "next-intl";
import { privacyPath } from "@/lib/http/paths";

/** The line under a form that asks for personal data: where to read what is done with it. */
export function PrivacyNoticeLink() {
  const t = useTranslations("privacy");
  const locale = useLocale();
  return (
    <p className="muted privacy-link">
      {t.rich("formLink", { link: (chunks) => <a href={privacyPath(locale)}>{chunks}</a> })}
    </p>
  );
}
