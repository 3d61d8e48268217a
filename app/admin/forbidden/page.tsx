import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { SwitchAccount } from "@/components/switch-account";
import { currentActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("staffAndAudit"))("pageForbidden") };
}

export default async function ForbiddenPage() {
  const t = await getTranslations("admin");
  const actor = await currentActor();
  return (
    <div className="narrow">
      <h1>{t("forbiddenTitle")}</h1>
      <p>{t("forbiddenBody")}</p>
      {actor && can(actor.role, "checkin:scan") && (
        <p>
          <Link className="button" href="/checkin">
            {t("goToCheckIn")}
          </Link>
        </p>
      )}
      {actor ? (
        <SwitchAccount email={actor.email} callbackUrl="/admin" />
      ) : (
        <p>
          <Link href="/admin/sign-in">{t("signInOther")}</Link>
        </p>
      )}
    </div>
  );
}
