"use client";

import jsQR from "jsqr";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { answerOffline, type OfflineAnswer, type OfflineSnapshot } from "@/lib/checkin/offline";
import type { CheckInAnswer } from "@/lib/checkin/scan";
import type { SnapshotTicket } from "@/lib/checkin/snapshot";
import { SwitchAccount } from "@/components/switch-account";
import { loadSnapshot, loadSnapshots, queuedScans, queueScan, removeQueued, saveSnapshot } from "./offline-store";

type Answer = (CheckInAnswer & { offline?: boolean }) | OfflineAnswer;
type Scan = { code?: string; ticketId?: string };

const REQUEST_TIMEOUT_MS = 4000;
const SYNC_EVERY_MS = 30_000;
const SAME_CODE_PAUSE_MS = 3000;
const ANSWER_SHOWN_MS = 2500;

function deviceId(): string {
  let id = localStorage.getItem("guichet-device-id");
  if (!id) {
    id = `device-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem("guichet-device-id", id);
  }
  return id;
}

// A device without a staff account opens the link the back office gives for its token: /checkin/<slug>#device=gch_…
function deviceToken(slug: string): string | null {
  const fromLink = /device=(gch_[A-Za-z0-9_-]{43})/.exec(window.location.hash)?.[1];
  if (fromLink) {
    localStorage.setItem(`guichet-device-token:${slug}`, fromLink);
    history.replaceState(null, "", window.location.pathname);
  }
  return localStorage.getItem(`guichet-device-token:${slug}`);
}

function beep(admitted: boolean) {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = admitted ? 880 : 220;
    tone.type = admitted ? "sine" : "square";
    volume.gain.value = 0.15;
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + (admitted ? 0.15 : 0.5));
    tone.onended = () => void audio.close();
  } catch {
    // no sound on this device: the colours still say it
  }
}

export function Scanner({ slug }: { slug: string }) {
  const t = useTranslations("checkin");
  const tDoor = useTranslations("door");
  const tStaff = useTranslations("staffAndAudit");
  const locale = useLocale();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [snapshot, setSnapshotState] = useState<OfflineSnapshot | null>(null);
  // The latest snapshot for handlers that run one after another; the state above is for rendering.
  const snapshotRef = useRef<OfflineSnapshot | null>(null);
  const setSnapshot = useCallback((next: OfflineSnapshot) => {
    snapshotRef.current = next;
    setSnapshotState(next);
  }, []);
  const [counts, setCounts] = useState<{ checkedIn: number; expected: number } | null>(null);
  const [online, setOnline] = useState(true);
  const [queued, setQueued] = useState(0);
  const [access, setAccess] = useState<"unknown" | "ok" | "signed_out" | "not_assigned">("unknown");
  // Who the server says is signed in when it refuses them here: null for a device token.
  const [signedInAs, setSignedInAs] = useState<string | null>(null);
  const [camera, setCamera] = useState<"off" | "starting" | "on" | "denied" | "unavailable">("off");
  const [results, setResults] = useState<SnapshotTicket[] | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  // A barcode scanner types into whatever has the focus: the code field holds it on load and after "Next".
  const codeRef = useRef<HTMLInputElement>(null);
  const focusCode = useCallback(() => codeRef.current?.focus(), []);
  const streamRef = useRef<MediaStream | null>(null);
  const lastCodeRef = useRef<{ code: string; at: number } | null>(null);
  const admittedHere = useRef(new Map<string, { at: string; deviceId: string }>());
  // Scans are handled one after the other, never dropped: a barcode scanner can be faster than the network.
  const line = useRef<Promise<void>>(Promise.resolve());

  const refused = useCallback(async (response: Response) => {
    if (response.status === 401) return setAccess("signed_out");
    const body = (await response.json().catch(() => ({}))) as { signedInAs?: unknown };
    setSignedInAs(typeof body.signedInAs === "string" ? body.signedInAs : null);
    setAccess("not_assigned");
  }, []);

  const headers = useCallback((): Record<string, string> => {
    const token = deviceToken(slug);
    return token ? { Authorization: `Bearer ${token}` } : {};
  }, [slug]);

  const sync = useCallback(async () => {
    try {
      const response = await fetch(`/api/v1/checkin/${slug}`, { headers: headers(), signal: AbortSignal.timeout(10_000) });
      if (response.status === 401 || response.status === 403) return await refused(response);
      if (!response.ok) return;
      const fresh = (await response.json()) as OfflineSnapshot;
      setAccess("ok");
      setOnline(true);
      setSnapshot(fresh);
      setCounts(fresh.counts);
      // Forget a ticket this device let in offline only once the server knows it is in: while its
      // scan is still queued, the device must go on refusing it a second time.
      for (const ticket of fresh.tickets) if (ticket.checkedInAt) admittedHere.current.delete(ticket.id);
      await saveSnapshot(slug, fresh);
    } catch {
      setOnline(false);
    }
  }, [slug, headers, setSnapshot, refused]);

  // Scans made offline go up in the order they were made, each with its own time and nonce.
  const upload = useCallback(async () => {
    for (const scan of await queuedScans(slug)) {
      try {
        const response = await fetch("/api/v1/checkin", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers() },
          body: JSON.stringify(scan),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        // Signed out or token revoked: the scans stay on the device until someone signs in again.
        if (response.status === 401 || response.status === 403) {
          await refused(response);
          break;
        }
        if (response.status >= 500) break;
        // Answered, or refused for good (a malformed or conflicting scan): it leaves the queue.
        await removeQueued(scan.nonce);
      } catch {
        setOnline(false);
        break;
      }
    }
    setQueued((await queuedScans(slug)).length);
  }, [slug, headers, refused]);

  useEffect(() => {
    void (async () => {
      const stored = await loadSnapshot(slug);
      if (stored) {
        setSnapshot(stored);
        setCounts(stored.counts);
      }
      setQueued((await queuedScans(slug)).length);
      await upload();
      await sync();
    })();
    const goOnline = () => {
      setOnline(true);
      void upload().then(sync);
    };
    const goOffline = () => setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    const timer = setInterval(() => void upload().then(sync), SYNC_EVERY_MS);
    if ("serviceWorker" in navigator) void navigator.serviceWorker.register("/checkin/sw.js", { scope: "/checkin/" }).catch(() => {});
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      clearInterval(timer);
    };
  }, [slug, sync, upload, setSnapshot]);

  // What the server says updates the stored snapshot too, so an outage later starts from the
  // latest counts and check-ins rather than from the last full sync.
  const absorb = useCallback(
    async (online: Answer) => {
      const stored = snapshotRef.current ?? (await loadSnapshot(slug));
      if (!stored) return;
      const checkedInAt = online.result === "admitted" || online.result === "already_checked_in" ? online.checkedInAt : null;
      const updated: OfflineSnapshot = {
        ...stored,
        counts: online.counts,
        tickets: checkedInAt && "ticketId" in online ? stored.tickets.map((ticket) => (ticket.id === online.ticketId ? { ...ticket, checkedInAt } : ticket)) : stored.tickets,
      };
      setSnapshot(updated);
      await saveSnapshot(slug, updated);
    },
    [slug, setSnapshot],
  );

  useEffect(() => {
    if (access !== "signed_out" && access !== "not_assigned") focusCode();
  }, [access, focusCode]);

  const show = useCallback((shown: Answer) => {
    setAnswer(shown);
    setCounts(shown.counts);
    beep(shown.result === "admitted");
    setTimeout(() => setAnswer((current) => (current === shown ? null : current)), ANSWER_SHOWN_MS);
  }, []);

  const handle = useCallback(
    async (scan: Scan) => {
      const request = { edition: slug, ...scan, nonce: crypto.randomUUID(), deviceId: deviceId(), scannedAt: new Date().toISOString() };
      try {
        const response = await fetch("/api/v1/checkin", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers() },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.status === 401 || response.status === 403) await refused(response);
        else if (response.ok) {
          setOnline(true);
          const answered = (await response.json()) as Answer;
          show(answered);
          await absorb(answered);
        } else throw new Error(`HTTP ${response.status}`);
      } catch {
        // No answer from the server: judge on this device, and keep the scan for later.
        setOnline(false);
        const stored = snapshotRef.current ?? (await loadSnapshot(slug));
        if (!stored) return;
        const known = (await loadSnapshots()).map((other) => other.edition);
        const offline = await answerOffline(stored, scan, admittedHere.current, request.deviceId, new Date(), known);
        await queueScan({ ...request, offlineAdmitted: offline.result === "admitted" });
        setQueued((await queuedScans(slug)).length);
        show(offline);
      }
    },
    [slug, headers, show, absorb, refused],
  );

  const submit = useCallback(
    (scan: Scan) => {
      line.current = line.current.then(() => handle(scan)).catch(() => {});
      return line.current;
    },
    [handle],
  );

  // The camera: frames go through jsQR; the same code is not sent twice within a few seconds.
  useEffect(() => {
    if (camera !== "on") return;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let frame = 0;
    const tick = () => {
      const video = videoRef.current;
      if (video && context && video.readyState >= 2) {
        const scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const found = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
        const last = lastCodeRef.current;
        if (found?.data && !(last && last.code === found.data && Date.now() - last.at < SAME_CODE_PAUSE_MS)) {
          lastCodeRef.current = { code: found.data, at: Date.now() };
          void submit({ code: found.data });
        }
      }
      frame = window.setTimeout(tick, 120);
    };
    tick();
    return () => window.clearTimeout(frame);
  }, [camera, submit]);

  async function startCamera() {
    if (!navigator.mediaDevices?.getUserMedia) return setCamera("unavailable");
    setCamera("starting");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      streamRef.current = stream;
      if (videoRef.current) {
        videoRef.current.srcObject = stream;
        await videoRef.current.play().catch(() => {});
      }
      setCamera("on");
    } catch (error) {
      setCamera((error as Error).name === "NotAllowedError" ? "denied" : "unavailable");
    }
  }

  function stopCamera() {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    setCamera("off");
  }

  useEffect(() => () => streamRef.current?.getTracks().forEach((track) => track.stop()), []);

  // A USB or Bluetooth barcode scanner types the code and Enter into this field.
  function typed(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("code") as HTMLInputElement;
    const code = input.value.trim();
    input.value = "";
    if (code) void submit({ code });
  }

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    if (q.length < 2) return setResults([]);
    try {
      const response = await fetch(`/api/v1/checkin/${slug}/search?q=${encodeURIComponent(q)}`, { headers: headers(), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      setResults(((await response.json()) as { results: SnapshotTicket[] }).results);
    } catch {
      const needle = q.toLowerCase();
      setResults((snapshot?.tickets ?? []).filter((ticket) => `${ticket.name} ${ticket.company ?? ""}`.toLowerCase().includes(needle)).slice(0, 20));
    }
  }

  const editionName = snapshot ? (locale === "fr" ? snapshot.edition.nameFr : snapshot.edition.nameEn) : slug;
  const time = (iso: string) => new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));

  if (access === "signed_out" || access === "not_assigned") {
    const kept = queued > 0 && (
      <p className="form-message" role="status" data-testid="checkin-kept">
        {tDoor("queuedKept", { count: queued })}
      </p>
    );
    if (access === "not_assigned" && signedInAs) {
      return (
        <div className="checkin-denied">
          <h1>{t("notAssigned")}</h1>
          <p>{tStaff("askOrganiser")}</p>
          {kept}
          <SwitchAccount email={signedInAs} callbackUrl={`/checkin/${slug}`} />
          <p>
            <a href="/checkin">{tStaff("yourEditions")}</a>
          </p>
        </div>
      );
    }
    return (
      <div className="checkin-denied">
        <h1>{t(access === "signed_out" ? "signInNeeded" : "notAssigned")}</h1>
        <p>{access === "signed_out" ? t("signInHelp") : tStaff("tokenOtherEdition")}</p>
        {kept}
        <p>
          <a className="button" href={`/admin/sign-in?callbackUrl=/checkin/${slug}`}>
            {t("signIn")}
          </a>
        </p>
      </div>
    );
  }

  return (
    <div className="scanner">
      <header className="scanner-bar">
        <h1>{t("title", { edition: editionName })}</h1>
        <p className="counter" data-testid="checkin-counter" aria-live="polite">
          {counts ? t("counter", counts) : "…"}
        </p>
        <p className={online ? "network online" : "network offline"} role="status">
          {online ? t("online") : t("offline")} · {snapshot ? t("lastSync", { time: time(snapshot.syncedAt) }) : t("neverSynced")}
          {queued > 0 && ` · ${t("queued", { count: queued })}`}
        </p>
      </header>

      <section className="camera" aria-label={t("cameraLabel")}>
        <video ref={videoRef} muted playsInline className={camera === "on" ? "camera-video" : "camera-video hidden"} aria-hidden="true" />
        {camera === "on" ? (
          <button type="button" className="button button-secondary" onClick={stopCamera}>
            {t("cameraStop")}
          </button>
        ) : (
          <button type="button" className="button camera-start" onClick={() => void startCamera()} disabled={camera === "starting"}>
            {t("cameraStart")}
          </button>
        )}
        {(camera === "denied" || camera === "unavailable") && <p className="form-message error">{t(camera === "denied" ? "cameraDenied" : "cameraUnavailable")}</p>}
      </section>

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
              <button type="button" className="button" disabled={ticket.state !== "valid" || Boolean(ticket.checkedInAt)} onClick={() => void submit({ ticketId: ticket.id }).then(() => setResults(null))}>
                {t("checkIn", { name: ticket.name })}
              </button>
            </li>
          ))}
        </ul>
      )}

      {answer && (
        <AnswerPanel
          answer={answer}
          onClose={() => {
            setAnswer(null);
            focusCode();
          }}
          time={time}
        />
      )}
    </div>
  );
}

function AnswerPanel({ answer, onClose, time }: { answer: Answer; onClose: () => void; time: (iso: string) => string }) {
  const t = useTranslations("checkin");
  const tStaff = useTranslations("staffAndAudit");
  const locale = useLocale();
  const tone = answer.result === "admitted" ? "ok" : answer.result === "already_checked_in" ? "warn" : "stop";
  const attendee = "attendee" in answer ? answer.attendee : null;
  return (
    <div className={`answer answer-${tone}`} role="alert" onClick={onClose} data-testid="checkin-answer" data-result={answer.result}>
      <p className="answer-title">{t(`result.${answer.result}`)}</p>
      {attendee && (
        <>
          <p className="answer-name">{attendee.name}</p>
          {attendee.company && <p>{attendee.company}</p>}
          <p>{locale === "fr" ? attendee.ticketTypeFr : attendee.ticketTypeEn}</p>
        </>
      )}
      {answer.result === "already_checked_in" && <p>{t("alreadyDetail", { time: time(answer.checkedInAt), device: answer.by.user ?? answer.by.deviceId })}</p>}
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
