import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { currentActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/roles";

export default async function ForbiddenPage() {
  const t = await getTranslations("admin");
  const actor = await currentActor();
  return (
    <div className="narrow">
      <h1>{t("forbiddenTitle")}</h1>
      <p>{t("forbiddenBody")}</p>
      {actor && can(actor.role, "checkin:scan") && (
        <p>
          <a className="button" href="/checkin">
            {t("goToCheckIn")}
          </a>
        </p>
      )}
      <p>
        <Link href="/admin/sign-in">{t("signInOther")}</Link>
      </p>
    </div>
  );
}
