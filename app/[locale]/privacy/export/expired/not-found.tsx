import { getTranslations } from "next-intl/server";
import { Link } from "@/lib/i18n/navigation";

/** An expired or altered "my data" link: what happened, and where to ask again. */
export default async function ExpiredExportLink() {
  const t = await getTranslations("dataRights.exportLink");
  const common = await getTranslations("common");
  return (
    <article className="narrow">
      {/* A not-found page takes no metadata: React puts this title in the head. */}
      <title>{`${t("title")} · ${common("appName")}`}</title>
      <h1>{t("title")}</h1>
      <p>{t("text")}</p>
      <p>
        <Link href="/">{t("home")}</Link>
      </p>
    </article>
  );
}
