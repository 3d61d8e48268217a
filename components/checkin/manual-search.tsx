"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { OfflineSnapshot } from "@/lib/checkin/offline";
import type { SnapshotTicket } from "@/lib/checkin/snapshot";
import { REQUEST_TIMEOUT_MS } from "./device";
import type { Scan } from "./use-check-in-answers";

type Props = {
  slug: string;
  headers: () => Record<string, string>;
  snapshot: OfflineSnapshot | null;
  submit: (scan: Scan) => Promise<void>;
  time: (iso: string) => string;
};

// Finding an attendee by name when they have no code with them: the server searches, or this
// device's snapshot when the server does not answer.
export function ManualSearch({ slug, headers, snapshot, submit, time }: Props) {
  const t = useTranslations("checkin");
  const locale = useLocale();
  const [results, setResults] = useState<SnapshotTicket[] | null>(null);

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    if (q.length < 2) return setResults([]);
    try {
      const response = await fetch(`/api/v1/checkin/${slug}/search?q=${encodeURIComponent(q)}`, {
        headers: headers(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      setResults(((await response.json()) as { results: SnapshotTicket[] }).results);
    } catch {
      const needle = q.toLowerCase();
      const matches = (snapshot?.tickets ?? []).filter((ticket) =>
        `${ticket.name} ${ticket.company ?? ""}`.toLowerCase().includes(needle),
      );
      setResults(matches.slice(0, 20));
    }
  }

  return (
    <>
      <form className="scanner-input" onSubmit={(event) => void search(event)} role="search">
        <label htmlFor="checkin-search">{t("searchLabel")}</label>
        <div className="inline-fields">
          <input id="checkin-search" name="q" type="search" placeholder={t("searchPlaceholder")} autoComplete="off" />
          <button type="submit" className="button button-secondary">
            {t("search")}
          </button>
        </div>
      </form>
      {results && (
        <ul className="search-results" aria-label={t("searchResults")}>
          {results.length === 0 && <li>{t("searchNone")}</li>}
          {results.map((ticket) => (
            <li key={ticket.id}>
              <span>
                <strong>{ticket.name}</strong>
                {ticket.company && <span className="muted"> · {ticket.company}</span>}
                <br />
                <span className="muted">
                  {locale === "fr" ? ticket.typeFr : ticket.typeEn} ·{" "}
                  {ticket.checkedInAt ? t("arrivedAt", { time: time(ticket.checkedInAt) }) : t(`state.${ticket.state}`)}
                </span>
              </span>
              <button
                type="button"
                className="button"
                disabled={ticket.state !== "valid" || Boolean(ticket.checkedInAt)}
                onClick={() => void submit({ ticketId: ticket.id }).then(() => setResults(null))}
              >
                {t("checkIn", { name: ticket.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
