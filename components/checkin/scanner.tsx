"use client";

import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, type FormEvent } from "react";
import { AnswerPanel } from "./answer-panel";
import { CameraPanel } from "./camera-panel";
import { DoorRefused } from "./door-refused";
import { GroupPanel } from "./group-panel";
import { ManualSearch } from "./manual-search";
import { useCheckInAnswers } from "./use-check-in-answers";
import { useDoorAccess } from "./use-door-access";
import { useQrCamera } from "./use-qr-camera";
import { useSnapshotSync } from "./use-snapshot-sync";

export function Scanner({ slug }: { slug: string }) {
  const t = useTranslations("checkin");
  const locale = useLocale();
  const door = useDoorAccess(slug);
  const sync = useSnapshotSync(slug, door);
  const { answer, submit, dismiss, offer, admitOthers, closeOffer } = useCheckInAnswers(slug, door, sync);
  const { snapshot, counts, online, queued } = sync;
  // A barcode scanner types into whatever has the focus: the code field holds it on load and after "Next".
  const codeRef = useRef<HTMLInputElement>(null);
  const focusCode = useCallback(() => codeRef.current?.focus(), []);
  const { access, signedInAs } = door;

  useEffect(() => {
    if (access !== "signed_out" && access !== "not_assigned") focusCode();
  }, [access, focusCode]);

  const scanned = useCallback((code: string) => void submit({ code }), [submit]);
  const camera = useQrCamera(scanned);

  // A USB or Bluetooth barcode scanner types the code and Enter into this field.
  function typed(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("code") as HTMLInputElement;
    const code = input.value.trim();
    input.value = "";
    if (code) void submit({ code });
  }

  const editionName = snapshot ? (locale === "fr" ? snapshot.edition.nameFr : snapshot.edition.nameEn) : slug;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));

  if (access === "signed_out" || access === "not_assigned") {
    return <DoorRefused slug={slug} access={access} signedInAs={signedInAs} queued={queued} />;
  }

  const lastSync = snapshot ? t("lastSync", { time: time(snapshot.syncedAt) }) : t("neverSynced");
  return (
    <div className="scanner">
      <header className="scanner-bar">
        <h1>{t("title", { edition: editionName })}</h1>
        <p className="counter" data-testid="checkin-counter" aria-live="polite">
          {counts ? t("counter", counts) : "…"}
        </p>
        <p className={online ? "network online" : "network offline"} role="status">
          {online ? t("online") : t("offline")} · {lastSync}
          {queued > 0 && ` · ${t("queued", { count: queued })}`}
        </p>
      </header>

      {offer && (
        <GroupPanel
          key={offer.viaTicketId}
          offer={offer}
          admit={admitOthers}
          close={() => {
            closeOffer();
            focusCode();
          }}
        />
      )}

      <CameraPanel {...camera} />

      <form className="scanner-input" onSubmit={typed}>
        <label htmlFor="checkin-code">{t("codeInput")}</label>
        <div className="inline-fields">
          <input
            ref={codeRef}
            id="checkin-code"
            name="code"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            enterKeyHint="go"
          />
          <button type="submit" className="button">
            {t("codeSubmit")}
          </button>
        </div>
      </form>

      <ManualSearch slug={slug} headers={door.headers} snapshot={snapshot} submit={submit} time={time} />

      {answer && (
        <AnswerPanel
          answer={answer}
          onClose={() => {
            dismiss();
            focusCode();
          }}
          time={time}
        />
      )}
    </div>
  );
}
