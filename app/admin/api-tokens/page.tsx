import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { requirePermission } from "@/lib/auth/actor";
import { listApiTokensFor } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { formatDateTime, localized } from "@/lib/i18n/format";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";
import { currentLocale } from "@/lib/i18n/page-locale";
import { DataTable } from "@/components/admin/data-table";

// Tokens belong to no edition: their times are shown in Paris time, where the organisers are.
const TIME_ZONE = "Europe/Paris";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("apiTokens"))("title") };
}

export default async function ApiTokensPage() {
  const actor = await requirePermission("exports:read");
  const locale = await currentLocale();
  const t = await getTranslations("apiTokens");
  const [tokens, editions] = await Promise.all([
    listApiTokensFor(db(), actor),
    db().edition.findMany({
      orderBy: { startsAt: "desc" },
      select: { id: true, slug: true, nameFr: true, nameEn: true, status: true },
    }),
  ]);
  // The example names an edition people are registering for, not whichever draft was made last.
  const exampleEdition =
    editions.find((edition) => edition.status === "OPEN") ?? editions.find((edition) => edition.status !== "DRAFT");
  const attendeesUrl = `${env().APP_URL}/api/v1/editions/${exampleEdition?.slug ?? "<slug>"}/attendees?format=csv`;
  const example = `curl -H "Authorization: Bearer gch_…" "${attendeesUrl}"`;
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <pre className="code-example">
        <code>{example}</code>
      </pre>
      {tokens.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <DataTable
          caption={t("title")}
          rows={tokens}
          rowKey={(token) => token.id}
          columns={[
            { header: t("name"), cell: (token) => token.name },
            { header: t("scope"), cell: (token) => t(`scopeName.${token.scope}`) },
            { header: t("prefix"), cell: (token) => <code>{token.prefix}…</code> },
            {
              header: t("edition"),
              cell: (token) => (token.edition ? localized(token.edition, "name", locale) : t("allEditions")),
            },
            { header: t("createdBy"), cell: (token) => token.createdBy.email },
            {
              header: t("lastUsed"),
              cell: (token) => (token.lastUsedAt ? formatDateTime(token.lastUsedAt, TIME_ZONE, locale) : t("never")),
            },
            {
              header: t("state"),
              cell: (token) =>
                token.revokedAt ? (
                  t("revoked")
                ) : (
                  <ActionButton
                    action={revokeApiTokenAction}
                    hidden={{ tokenId: token.id }}
                    label={t("revoke")}
                    confirm={t("revokeConfirm")}
                    danger
                  />
                ),
            },
          ]}
        />
      )}
      <section aria-labelledby="new-token-title">
        <h2 id="new-token-title">{t("addTitle")}</h2>
        <AdminForm
          action={createApiTokenAction}
          idPrefix="token"
          submitLabel={t("create")}
          fields={[
            { name: "name", label: t("name"), required: true, hint: t("nameHint") },
            {
              name: "scope",
              label: t("scope"),
              type: "select",
              hint: t("deviceLinkHint"),
              options: (["EXPORT", "CHECKIN"] as const).map((scope) => ({
                value: scope,
                label: t(`scopeName.${scope}`),
              })),
            },
            {
              name: "editionId",
              label: t("edition"),
              type: "select",
              options: [
                { value: "", label: t("allEditions") },
                ...editions.map((edition) => ({ value: edition.id, label: localized(edition, "name", locale) })),
              ],
            },
          ]}
        />
      </section>
    </>
  );
}
