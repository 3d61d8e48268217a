"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useActionState } from "react";
import { FormMessage } from "@/components/form-fields";
import { adminOrderPath } from "@/lib/http/paths";
import { confirmImportAction } from "./actions";
import type { ConfirmState } from "./confirm-state";

const IDLE: ConfirmState = { status: "idle" };

/** The one button that confirms an import's matched orders, then each order's result. */
export function ConfirmImport({ importId, count }: { importId: string; count: number }) {
  const [state, formAction, pending] = useActionState(confirmImportAction, IDLE);
  const t = useTranslations("transferAdmin");
  const admin = useTranslations("adminForm");
  return (
    <>
      {count > 0 ? (
        <form action={formAction} className="form">
          <input type="hidden" name="importId" value={importId} />
          <p className="muted">{t("review.confirmHelp")}</p>
          <FormMessage message={state.status === "error" ? admin(state.message) : undefined} />
          <div>
            <button type="submit" className="button" disabled={pending} aria-busy={pending}>
              {pending ? admin("working") : t("review.confirm", { count })}
            </button>
          </div>
        </form>
      ) : (
        <p>{t("review.nothingToConfirm")}</p>
      )}
      {state.status === "done" && (
        <section aria-labelledby="confirm-results" role="status">
          <h3 id="confirm-results" className="subsection">
            {t("review.results")}
          </h3>
          <ul data-testid="confirm-results">
            {state.results.map((result) => (
              <li key={result.lineId} className={result.ok ? undefined : "field-error"}>
                <Link href={adminOrderPath(result.editionSlug, result.reference)}>{result.reference}</Link>
                {" — "}
                {t.has(`result.${result.outcome}`) ? t(`result.${result.outcome}`) : result.outcome}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
