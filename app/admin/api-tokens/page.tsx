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
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("scope")}</th>
                <th scope="col">{t("prefix")}</th>
                <th scope="col">{t("edition")}</th>
                <th scope="col">{t("createdBy")}</th>
                <th scope="col">{t("lastUsed")}</th>
                <th scope="col">{t("state")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{t(`scopeName.${token.scope}`)}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{token.edition ? localized(token.edition, "name", locale) : t("allEditions")}</td>
                  <td>{token.createdBy.email}</td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt, TIME_ZONE, locale) : t("never")}</td>
                  <td>
                    {token.revokedAt ? (
                      t("revoked")
                    ) : (
                      <ActionButton
                        action={revokeApiTokenAction}
                        hidden={{ tokenId: token.id }}
                        label={t("revoke")}
                        confirm={t("revokeConfirm")}
                        danger
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
