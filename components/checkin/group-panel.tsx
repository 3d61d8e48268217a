"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { GroupMember } from "@/lib/checkin/scan";
import type { GroupOffer } from "./use-check-in-answers";

type Props = {
  offer: GroupOffer;
  admit: (viaTicketId: string, ticketIds: string[]) => Promise<void>;
  close: () => void;
};

// After a team member's scan: the order's others, for staff to tick who is actually here and let
// them in at once (one recorded scan each). Nobody is ticked for them: an absent colleague's ticket
// must stay unused until they come.
export function GroupPanel({ offer, admit, close }: Props) {
  const t = useTranslations("groupCheckIn");
  const tGroup = useTranslations("groupTicket");
  const tCheckIn = useTranslations("checkin");
  const locale = useLocale();
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  // Each admission's outcome is a new alert, announced even when its words are the last one's.
  const [runs, setRuns] = useState(0);
  const { group, outcome } = offer;
  const selected = group.others.filter((member) => !member.checkedIn && ticked.has(member.ticketId));
  const label = (member: GroupMember) => member.name ?? t("unnamed", { position: member.position });
  // A fresh nonce per request is never reused; were it to be, the ticket is not known as sent.
  const refusal = (result: string) => tCheckIn(`result.${result === "nonce_reused" ? "unknown" : result}`);
  const waiting = group.others.some((member) => !member.checkedIn);
  const type = (member: GroupMember) => (locale === "fr" ? member.ticketTypeFr : member.ticketTypeEn);

  function toggle(ticketId: string, on: boolean) {
    setTicked((current) => {
      const next = new Set(current);
      if (on) next.add(ticketId);
      else next.delete(ticketId);
      return next;
    });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (selected.length === 0) return;
    setBusy(true);
    await admit(
      offer.viaTicketId,
      selected.map((member) => member.ticketId),
    );
    setBusy(false);
    setRuns((count) => count + 1);
  }

  return (
    <section className="group-panel" aria-labelledby="group-panel-title" data-testid="checkin-group-panel">
      <h2 id="group-panel-title" data-testid="checkin-group-progress">
        {tGroup("groupAtDoor", { inside: group.inside, of: group.of })}
      </h2>
      <form onSubmit={(event) => void submit(event)}>
        <fieldset>
          <legend>{waiting ? t("pick") : t("panelLabel")}</legend>
          <ul className="group-members" aria-label={t("panelLabel")}>
            {group.others.map((member) => (
              <li key={member.ticketId}>
                {member.checkedIn ? (
                  <span>
                    <strong>{label(member)}</strong>
                    <br />
                    <span className="muted">
                      {type(member)} · {t("alreadyIn")}
                    </span>
                  </span>
                ) : (
                  <label>
                    <input
                      type="checkbox"
                      checked={ticked.has(member.ticketId)}
                      onChange={(event) => toggle(member.ticketId, event.currentTarget.checked)}
                    />
                    <span>
                      <strong>{label(member)}</strong>
                      <br />
                      <span className="muted">{type(member)}</span>
                    </span>
                  </label>
                )}
              </li>
            ))}
          </ul>
        </fieldset>
        {waiting && (
          <button type="submit" className="button" disabled={busy || selected.length === 0}>
            {t("admit", { count: selected.length })}
          </button>
        )}
      </form>
      {outcome && (
        <div key={runs} role="alert" data-testid="checkin-group-outcome">
          <p>{t("admitted", { count: outcome.admitted })}</p>
          {outcome.refused.length > 0 && (
            <p>
              {t("refused", {
                names: outcome.refused.map((member) => `${label(member)} (${refusal(member.result)})`).join(", "),
              })}
            </p>
          )}
          {outcome.offline && <p className="muted">{t("offline")}</p>}
        </div>
      )}
      <button type="button" className="button button-secondary" onClick={close}>
        {t("close")}
      </button>
    </section>
  );
}
