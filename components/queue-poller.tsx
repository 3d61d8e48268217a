"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";

type Place = { position: number; estimatedWaitSeconds: number; seatsLeft: number; retryAfterMs: number };

// A screen reader hears the position politely, and at most this often: a poll every few seconds would talk
// over everything else.
const ANNOUNCE_EVERY_MS = 30_000;
const AFTER_NETWORK_ERROR_MS = 5_000;

/**
 * The waiting buyer's place, asked again when the server says (retryAfterMs). Admitted, the browser goes on to
 * the form; anything else the page itself knows how to show (sold out, a place no longer valid) reloads it.
 */
export function QueuePoller({
  pollUrl,
  registerUrl,
  initial,
}: {
  pollUrl: string;
  registerUrl: string;
  initial: Place;
}) {
  const t = useTranslations("waitingRoom");
  const [place, setPlace] = useState(initial);
  const [announced, setAnnounced] = useState(() => t("position", { position: initial.position }));
  const lastAnnounced = useRef(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(pollUrl, { cache: "no-store" });
        const answer = (await response.json()) as Partial<Place> & { status?: string };
        if (stopped) return;
        if (answer.status === "admitted" || answer.status === "open") {
          setAnnounced(t("yourTurn"));
          window.location.assign(registerUrl);
          return;
        }
        if (answer.status !== "queued") {
          window.location.reload();
          return;
        }
        const next = answer as Place;
        setPlace(next);
        if (Date.now() - lastAnnounced.current >= ANNOUNCE_EVERY_MS) {
          lastAnnounced.current = Date.now();
          setAnnounced(t("position", { position: next.position }));
        }
        timer = setTimeout(poll, next.retryAfterMs);
      } catch {
        if (!stopped) timer = setTimeout(poll, AFTER_NETWORK_ERROR_MS);
      }
    };
    lastAnnounced.current = Date.now();
    timer = setTimeout(poll, initial.retryAfterMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pollUrl, registerUrl, initial.retryAfterMs, t]);

  return (
    <div className="queue-place">
      <p data-testid="queue-position">
        <strong>{t("position", { position: place.position })}</strong>
      </p>
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announced}
      </p>
      <p>{t("estimate", { minutes: Math.round(place.estimatedWaitSeconds / 60) })}</p>
      <p>{t("seatsLeft", { count: place.seatsLeft })}</p>
    </div>
  );
}
