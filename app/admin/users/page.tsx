import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { requirePermission } from "@/lib/auth/actor";
import { listUsers } from "@/lib/auth/manage-users";
import { ROLES } from "@/lib/auth/roles";
import { db } from "@/lib/db/prisma";
import { localized } from "@/lib/i18n/format";
import { saveUserAction, setUserDisabledAction } from "./actions";
import { currentLocale } from "@/lib/i18n/page-locale";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("users"))("title") };
}

export default async function UsersPage() {
  const actor = await requirePermission("users:manage");
  const locale = await currentLocale();
  const t = await getTranslations("users");
  const admin = await getTranslations("admin");
  const [users, editions] = await Promise.all([
    listUsers(db(), actor),
    db().edition.findMany({ orderBy: { startsAt: "desc" }, select: { id: true, nameFr: true, nameEn: true } }),
  ]);
  const fields = (user?: (typeof users)[number]): FieldSpec[] => [
    { name: "email", label: t("email"), type: "email", required: true, defaultValue: user?.email },
    { name: "name", label: t("name"), defaultValue: user?.name ?? "" },
    {
      name: "role",
      label: t("role"),
      type: "select",
      required: true,
      defaultValue: user?.role ?? "ORGANISER",
      options: ROLES.map((role) => ({ value: role, label: admin(`role.${role}`) })),
    },
    {
      name: "password",
      label: user ? t("newPassword") : t("password"),
      type: "password",
      autoComplete: "new-password",
      hint: t("passwordHint"),
    },
  ];
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <ul className="admin-list">
        {users.map((user) => (
          <li key={user.id} className="card">
            <h2 className="card-title">
              {user.email} <span className="badge status-draft">{admin(`role.${user.role}`)}</span>
              {user.disabledAt && <span className="badge status-closed">{t("disabled")}</span>}
            </h2>
            {user.role === "CHECKIN_STAFF" && (
              <p className="muted">
                {t("assigned", {
                  editions:
                    editions
                      .filter((edition) => user.editions.some((link) => link.editionId === edition.id))
                      .map((edition) => localized(edition, "name", locale))
                      .join(", ") || t("noEdition"),
                })}
              </p>
            )}
            <details>
              <summary>{t("edit", { email: user.email })}</summary>
              <UserForm
                user={user}
                fields={fields(user)}
                editions={editions.map((edition) => ({ id: edition.id, name: localized(edition, "name", locale) }))}
                labelled={(name) => t("editionCheckbox", { name })}
                submit={t("save")}
              />
            </details>
            {user.id !== actor.id && (
              <ActionButton
                action={setUserDisabledAction}
                hidden={{ userId: user.id, disabled: user.disabledAt ? "no" : "yes" }}
                label={user.disabledAt ? t("enable") : t("disable")}
                danger={!user.disabledAt}
              />
            )}
          </li>
        ))}
      </ul>
      <section aria-labelledby="new-user-title">
        <h2 id="new-user-title">{t("addTitle")}</h2>
        <UserForm
          fields={fields()}
          editions={editions.map((edition) => ({ id: edition.id, name: localized(edition, "name", locale) }))}
          labelled={(name) => t("editionCheckbox", { name })}
          submit={t("add")}
        />
      </section>
    </>
  );
}

// Edition assignments are checkboxes named editionIds, which the generic form cannot describe:
// they are listed as one checkbox field each.
function UserForm({
  user,
  fields,
  editions,
  labelled,
  submit,
}: {
  user?: { id: string; editions: { editionId: string }[] };
  fields: FieldSpec[];
  editions: { id: string; name: string }[];
  labelled: (name: string) => string;
  submit: string;
}) {
  const editionFields: FieldSpec[] = editions.map((edition) => ({
    name: "editionIds",
    label: labelled(edition.name),
    type: "checkbox",
    value: edition.id,
    defaultValue: user?.editions.some((link) => link.editionId === edition.id) ? "on" : "",
  }));
  return (
    <AdminForm
      action={saveUserAction}
      hidden={user ? { userId: user.id } : {}}
      fields={[...fields, ...editionFields]}
      submitLabel={submit}
      idPrefix={user ? `user-${user.id}` : "new-user"}
    />
  );
}
