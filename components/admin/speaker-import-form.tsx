"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { describedBy, FieldErrors } from "@/components/field-errors";
import { FormMessage, RequiredMark } from "@/components/form-fields";
import { IDLE, type FormState } from "@/lib/forms/form-state";

type Props = {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  editionId: string;
  ticketTypes: { id: string; label: string }[];
  /** The type offered first: the first hidden one, as speakers' passes usually are. */
  defaultTicketTypeId?: string;
  /** The edition's unreleased blocks the passes may draw on; none: the choice is not offered. */
  blocks: { id: string; name: string }[];
};

/** The speakers' CSV upload: the file, the type their codes are for, then what was created and the lines left out. */
export function SpeakerImportForm({ action, editionId, ticketTypes, defaultTicketTypeId, blocks }: Props) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const t = useTranslations("voucherAdmin.speakers");
  const form = useTranslations("adminForm");
  const messages = useTranslations("voucherAdmin.message");
  const say = (key: string, params?: Record<string, string | number>) =>
    messages.has(key) ? messages(key, params) : form.has(key) ? form(key, params) : form("failed");
  const message = state.status === "idle" ? undefined : say(state.message, state.params);
  const fileErrors = state.status === "error" ? state.fieldErrors?.file : undefined;
  const blockErrors = state.status === "error" ? state.fieldErrors?.allocationId : undefined;
  const skipped = state.status === "saved" ? (state.skippedLines ?? []) : [];
  return (
    <form action={formAction} className="form" noValidate>
      <input type="hidden" name="editionId" value={editionId} />
      <div className="field">
        <label htmlFor="speakers-file">
          {t("file")}
          <RequiredMark />
        </label>
        <p id="speakers-file-hint" className="hint">
          {t("fileHint")}
        </p>
        <input
          id="speakers-file"
          type="file"
          name="file"
          accept=".csv,text/csv"
          required
          aria-required
          aria-invalid={Boolean(fileErrors)}
          aria-describedby={describedBy("speakers-file-hint", fileErrors && "speakers-file-error")}
        />
        <FieldErrors id="speakers-file-error" codes={fileErrors} />
      </div>
      <div className="field">
        <label htmlFor="speakers-type">
          {t("ticketType")}
          <RequiredMark />
        </label>
        <p id="speakers-type-hint" className="hint">
          {t("ticketTypeHint")}
        </p>
        <select
          id="speakers-type"
          name="ticketTypeId"
          defaultValue={defaultTicketTypeId}
          aria-describedby="speakers-type-hint"
        >
          {ticketTypes.map((type) => (
            <option key={type.id} value={type.id}>
              {type.label}
            </option>
          ))}
        </select>
      </div>
      {blocks.length > 0 && (
        <div className="field">
          <label htmlFor="speakers-block">{t("block")}</label>
          <p id="speakers-block-hint" className="hint">
            {t("blockHint")}
          </p>
          <select
            id="speakers-block"
            name="allocationId"
            defaultValue=""
            aria-invalid={Boolean(blockErrors)}
            aria-describedby={describedBy("speakers-block-hint", blockErrors && "speakers-block-error")}
          >
            <option value="">{t("noBlock")}</option>
            {blocks.map((block) => (
              <option key={block.id} value={block.id}>
                {block.name}
              </option>
            ))}
          </select>
          <FieldErrors id="speakers-block-error" codes={blockErrors} />
        </div>
      )}
      <FormMessage message={message} tone={state.status === "saved" ? "success" : "error"} />
      {skipped.length > 0 && (
        <div className="form-message error">
          <p>{t("rowErrors")}</p>
          <ul>
            {skipped.map(({ line, reason }) => (
              <li key={line}>
                {t("line", { line, reason: t.has(`reason.${reason}`) ? t(`reason.${reason}`) : reason })}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div>
        <button type="submit" className="button" disabled={pending} aria-busy={pending}>
          {pending ? form("working") : t("import")}
        </button>
      </div>
    </form>
  );
}
