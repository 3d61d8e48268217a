import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { resolvePageLocale } from "@/lib/i18n/page-locale";
import { emailLinkKeyFrom, optedOut } from "@/lib/messages/opt-out";
import { receiveAgainFromPage, stopFromPage } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; token: string }> };

// The link is private: keep it out of search engines and other sites' referrers.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await resolvePageLocale(params);
  const t = await getTranslations({ locale, namespace: "emailPreferences" });
  return { title: t("title"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

export default async function EmailPreferencesPage({ params }: Props) {
  const locale = await resolvePageLocale(params);
  const { token } = await params;
  const state = await optedOut(db(), emailLinkKeyFrom(env()) ?? "", token);
  if (state === null) notFound();
  const t = await getTranslations("emailPreferences");
  return (
    <article>
      <h1>{t("title")}</h1>
      <p className="notice" role="status" data-testid="email-preferences-state">
        {state ? t("stopped") : t("receiving")}
      </p>
      <p className="muted">{t("essentialStill")}</p>
      <form action={(state ? receiveAgainFromPage : stopFromPage).bind(null, token, locale)}>
        <button type="submit" className={state ? "button" : "button button-danger"}>
          {state ? t("receiveAgain") : t("stop")}
        </button>
      </form>
    </article>
  );
}
