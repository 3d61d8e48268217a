import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { currentActor } from "@/lib/auth/actor";
import { isCheckInCallback, safeCallback } from "@/lib/auth/callback";

type Query = Promise<Record<string, string | string[] | undefined>>;

// Door staff come here from the scanner: the page (and its tab) speak to them, not to organisers.
export async function generateMetadata({ searchParams }: { searchParams: Query }): Promise<Metadata> {
  const staff = await getTranslations("staffAndAudit");
  if (!isCheckInCallback(safeCallback((await searchParams).callbackUrl))) return { title: staff("pageSignIn") };
  const checkin = await getTranslations("checkin");
  return { title: { absolute: `${staff("checkInSignInTitle")} · ${checkin("appName")}` } };
}

export default async function SignInPage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const callbackUrl = safeCallback(query.callbackUrl);
  if (await currentActor()) redirect(callbackUrl);
  const t = await getTranslations("signIn");
  const staff = await getTranslations("staffAndAudit");
  const forDoor = isCheckInCallback(callbackUrl);
  const error = typeof query.error === "string" ? query.error : undefined;
  return (
    <div className="narrow">
      <h1>{forDoor ? staff("checkInSignInTitle") : t("title")}</h1>
      {forDoor && <p className="muted">{staff("checkInSignInIntro")}</p>}
      {query.sent ? (
        <div className="banner banner-info" role="status">
          <p>{t("linkSent")}</p>
        </div>
      ) : (
        error && (
          <div className="form-message error" role="alert">
            {t(error === "Verification" ? "linkExpired" : "failed")}
          </div>
        )
      )}
      <SignInForm callbackUrl={callbackUrl} />
    </div>
  );
}
