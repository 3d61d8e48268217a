import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { DocumentShell } from "@/components/document-shell";
import { currentActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/roles";
import {
  adminInvoicesPath,
  adminInvoicingPath,
  adminPrivacyPath,
  adminSystemPath,
  adminTransfersPath,
} from "@/lib/http/paths";
import { signOut } from "./session-actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: { default: t("title"), template: `%s · ${t("title")}` }, robots: { index: false } };
}

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations("admin");
  const common = await getTranslations("common");
  const invoicing = await getTranslations("invoicingSettings");
  const ledger = await getTranslations("invoiceLedger");
  const transfers = await getTranslations("transferAdmin");
  const dataRights = await getTranslations("dataRights.admin");
  const system = await getTranslations("systemAdmin");
  const actor = await currentActor();
  const other = locale === "fr" ? "en" : "fr";
  return (
    <DocumentShell
      locale={locale}
      mainClassName="page wide"
      header={
        <header className="site-header admin-header">
          <Link href="/admin" className="brand">
            {t("title")}
          </Link>
          {actor && (
            <nav aria-label={t("mainNav")} className="admin-nav">
              <Link href="/admin">{t("navEditions")}</Link>
              {can(actor.role, "users:manage") && <Link href="/admin/users">{t("navUsers")}</Link>}
              {can(actor.role, "exports:read") && <Link href="/admin/api-tokens">{t("navApiTokens")}</Link>}
              {can(actor.role, "exports:read") && <Link href={adminInvoicesPath()}>{ledger("nav")}</Link>}
              {can(actor.role, "orders:manage") && <Link href={adminTransfersPath()}>{transfers("nav")}</Link>}
              {can(actor.role, "invoicing:manage") && <Link href={adminInvoicingPath}>{invoicing("nav")}</Link>}
              {can(actor.role, "users:manage") && <Link href={adminPrivacyPath()}>{dataRights("navLink")}</Link>}
              {can(actor.role, "users:manage") && <Link href={adminSystemPath}>{system("nav")}</Link>}
            </nav>
          )}
          <div className="admin-account">
            {actor && (
              <>
                <span className="muted">
                  {actor.email} · {t(`role.${actor.role}`)}
                </span>
                <form action={signOut}>
                  <button type="submit" className="link-button">
                    {t("signOut")}
                  </button>
                </form>
              </>
            )}
            <a href={`/admin/language?to=${other}`} lang={other} hrefLang={other} className="language-switch">
              {common("otherLanguage")}
            </a>
          </div>
        </header>
      }
    >
      {children}
    </DocumentShell>
  );
}
