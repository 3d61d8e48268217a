import { getTranslations } from "next-intl/server";
import { DATA_RIGHTS_ANCHOR } from "@/lib/http/paths";

type Props = {
  /** The page's address: where the link to the data goes, and whose data an erasure is about. */
  email: string;
  /** Server actions bound to the page's link. */
  emailMyData: () => Promise<void>;
  askForErasure: () => Promise<void>;
  /** What the last click did (the page's `privacy` query), shown as a status. */
  done?: string;
};

/**
 * "Your data" on a private page: the export sent by email (never shown here, so only the mailbox's owner sees other
 * editions) and the erasure request behind a confirmation step.
 */
export async function DataRights({ email, emailMyData, askForErasure, done }: Props) {
  const t = await getTranslations("dataRights.selfService");
  const said = done && t.has(`done.${done}`) ? t(`done.${done}`) : null;
  return (
    <section id={DATA_RIGHTS_ANCHOR} className="manage data-rights" aria-labelledby="data-rights-title">
      <h2 id="data-rights-title">{t("title")}</h2>
      <p className="muted">{t("intro", { email })}</p>
      {said && (
        <p
          className={done === "export_limited" ? "notice" : "form-message success"}
          role="status"
          data-testid="data-rights-done"
        >
          {said}
        </p>
      )}
      <form action={emailMyData}>
        <p className="muted">{t("exportHint")}</p>
        <button type="submit" className="button button-secondary">
          {t("export")}
        </button>
      </form>
      <details>
        <summary>{t("erasure")}</summary>
        <p className="muted">{t("erasureExplain")}</p>
        <form action={askForErasure}>
          <button type="submit" className="button button-danger">
            {t("erasureConfirm")}
          </button>
        </form>
      </details>
    </section>
  );
}
