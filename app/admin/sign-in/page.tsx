import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { currentActor } from "@/lib/auth/actor";

// Where to go after signing in: only a back-office path, never another site.
function safeCallback(value: string | string[] | undefined): string {
  const path = typeof value === "string" ? value : "";
  return /^\/(admin|checkin)(\/|$|\?)/.test(path) ? path : "/admin";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const callbackUrl = safeCallback(query.callbackUrl);
  if (await currentActor()) redirect(callbackUrl);
  const t = await getTranslations("signIn");
  const error = typeof query.error === "string" ? query.error : undefined;
  return (
    <div className="narrow">
      <h1>{t("title")}</h1>
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
