import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm } from "@/components/admin/admin-form";
import { DoneNotice } from "@/components/admin/done-notice";
import { editionFields } from "@/components/admin/edition-fields";
import { cloneEditionAction, setEditionStatusAction, updateEditionAction } from "../../actions";
import { editionForPage } from "../edition-for-page";

export default async function EditionSettingsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ done?: string }> }) {
  const { edition } = await editionForPage(params);
  const t = await getTranslations("editionForm");
  const hidden = { editionId: edition.id };
  const statusChanges = (["OPEN", "CLOSED", "DRAFT"] as const).filter((status) => status !== edition.status);
  return (
    <div className="admin-columns">
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">{t("settingsTitle")}</h2>
        <DoneNotice done={(await searchParams).done} />
        <AdminForm action={updateEditionAction} fields={editionFields(t, edition)} hidden={hidden} submitLabel={t("save")} idPrefix="edition" />
      </section>
      <aside>
        <section aria-labelledby="status-title">
          <h2 id="status-title">{t("statusTitle")}</h2>
          <p className="muted">{t(`statusHelp.${edition.status}`)}</p>
          <div className="button-row">
            {statusChanges.map((status) => (
              <ActionButton key={status} action={setEditionStatusAction} hidden={{ ...hidden, status }} label={t(`setStatus.${status}`)} />
            ))}
          </div>
        </section>
        <section aria-labelledby="clone-title">
          <h2 id="clone-title">{t("cloneTitle")}</h2>
          <p className="muted">{t("cloneIntro")}</p>
          <AdminForm
            action={cloneEditionAction}
            hidden={hidden}
            idPrefix="clone"
            submitLabel={t("clone")}
            fields={[
              { name: "nameFr", label: t("nameFr"), required: true },
              { name: "nameEn", label: t("nameEn"), required: true },
              { name: "slug", label: t("slug"), required: true, hint: t("slugHint") },
            ]}
          />
        </section>
      </aside>
    </div>
  );
}
