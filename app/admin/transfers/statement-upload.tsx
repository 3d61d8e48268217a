"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { FormMessage } from "@/components/form-fields";
import { IDLE } from "@/lib/forms/form-state";
import { uploadStatementAction } from "./actions";

/** The statement's upload: one file, refused here already when over the size the server takes. */
export function StatementUpload({ maxBytes }: { maxBytes: number }) {
  const [state, formAction, pending] = useActionState(uploadStatementAction, IDLE);
  const [tooLarge, setTooLarge] = useState(false);
  const t = useTranslations("transferAdmin");
  const admin = useTranslations("adminForm");
  const say = (key: string, params?: Record<string, string | number>) =>
    t.has(`message.${key}`) ? t(`message.${key}`, params) : admin.has(key) ? admin(key) : admin("failed");
  const message = tooLarge ? say("too_large") : state.status === "error" ? say(state.message, state.params) : undefined;
  return (
    <form
      action={formAction}
      className="form"
      onSubmit={(event) => {
        const file = new FormData(event.currentTarget).get("statement");
        const large = file instanceof File && file.size > maxBytes;
        setTooLarge(large);
        if (large) event.preventDefault();
      }}
    >
      <div className="field">
        <label htmlFor="statement-file">{t("upload.file")}</label>
        <p id="statement-file-hint" className="hint">
          {t("upload.help")}
        </p>
        <input
          id="statement-file"
          name="statement"
          type="file"
          required
          accept=".xml,.csv,.txt,text/xml,application/xml,text/csv"
          aria-describedby="statement-file-hint"
        />
      </div>
      <FormMessage message={message} />
      <div>
        <button type="submit" className="button" disabled={pending} aria-busy={pending}>
          {pending ? admin("working") : t("upload.submit")}
        </button>
      </div>
    </form>
  );
}
