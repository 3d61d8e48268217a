"use client";

import { useLocale, useTranslations } from "next-intl";
import type { Answer } from "./use-snapshot-sync";

type Props = { answer: Answer; onClose: () => void; time: (iso: string) => string };

export function AnswerPanel({ answer, onClose, time }: Props) {
  const t = useTranslations("checkin");
  const tStaff = useTranslations("staffAndAudit");
  const tGroup = useTranslations("groupTicket");
  const locale = useLocale();
  const tone = answer.result === "admitted" ? "ok" : answer.result === "already_checked_in" ? "warn" : "stop";
  const attendee = "attendee" in answer ? answer.attendee : null;
  return (
    <div
      className={`answer answer-${tone}`}
      role="alert"
      onClick={onClose}
      data-testid="checkin-answer"
      data-result={answer.result}
    >
      <p className="answer-title">{t(`result.${answer.result}`)}</p>
      {attendee && (
        <>
          <p className="answer-name">{attendee.name}</p>
          {attendee.unnamed && <p data-testid="checkin-unnamed">{tGroup("unnamedAtDoor")}</p>}
          {attendee.company && <p>{attendee.company}</p>}
          <p>{locale === "fr" ? attendee.ticketTypeFr : attendee.ticketTypeEn}</p>
        </>
      )}
      {"group" in answer && answer.group && (
        <p data-testid="checkin-group">{tGroup("groupAtDoor", { inside: answer.group.inside, of: answer.group.of })}</p>
      )}
      {answer.result === "already_checked_in" && (
        <p>{t("alreadyDetail", { time: time(answer.checkedInAt), device: answer.by.user ?? answer.by.deviceId })}</p>
      )}
      {answer.result === "cancelled" && <p>{t(`reason.${answer.reason}`)}</p>}
      {answer.result === "wrong_edition" && (
        <p data-testid="checkin-other-edition">
          {answer.edition
            ? tStaff("wrongEditionFor", { edition: locale === "fr" ? answer.edition.nameFr : answer.edition.nameEn })
            : tStaff("wrongEditionUnknown")}
        </p>
      )}
      {"offline" in answer && answer.offline && <p className="answer-offline">{t("offlineMarker")}</p>}
      <button type="button" className="button button-secondary" onClick={onClose}>
        {t("next")}
      </button>
    </div>
  );
}
