import { getTranslations } from "next-intl/server";
import { Link } from "@/lib/i18n/navigation";

export default async function NotFound() {
  const t = await getTranslations("errorPage");
  const common = await getTranslations("common");
  return (
    <>
      {/* A not-found page takes no metadata: React puts this title in the head. */}
      <title>{`${t("notFoundTitle")} · ${common("appName")}`}</title>
      <h1>{t("notFoundTitle")}</h1>
      <p>{t("notFoundText")}</p>
      <p>
        <Link href="/">{t("home")}</Link>
      </p>
    </>
  );
}
