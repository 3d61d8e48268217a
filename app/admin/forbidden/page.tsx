import { getTranslations } from "next-intl/server";
import Link from "next/link";

export default async function ForbiddenPage() {
  const t = await getTranslations("admin");
  return (
    <div className="narrow">
      <h1>{t("forbiddenTitle")}</h1>
      <p>{t("forbiddenBody")}</p>
      <p>
        <Link href="/admin/sign-in">{t("signInOther")}</Link>
      </p>
    </div>
  );
}
