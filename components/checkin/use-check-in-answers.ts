import { useCallback, useRef, useState } from "react";
import { answerOffline } from "@/lib/checkin/offline";
import { beep, deviceId, REQUEST_TIMEOUT_MS } from "./device";
import { loadSnapshot, loadSnapshots, queueScan } from "./offline-store";
import type { DoorCredentials } from "./use-door-access";
import type { Answer, SnapshotSync } from "./use-snapshot-sync";

export type Scan = { code?: string; ticketId?: string };

const ANSWER_SHOWN_MS = 2500;

// Each scan asks the server, or judges on this device when the server does not answer, and shows
// the answer for a moment.
export function useCheckInAnswers(slug: string, { headers, refused }: DoorCredentials, sync: SnapshotSync) {
  const { setCounts, setOnline, absorb, snapshotRef, admittedHere, countQueued } = sync;
  const [answer, setAnswer] = useState<Answer | null>(null);
  // Scans are handled one after the other, never dropped: a barcode scanner can be faster than the network.
  const line = useRef<Promise<void>>(Promise.resolve());

  const show = useCallback(
    (shown: Answer) => {
      setAnswer(shown);
      setCounts(shown.counts);
      beep(shown.result === "admitted");
      setTimeout(() => setAnswer((current) => (current === shown ? null : current)), ANSWER_SHOWN_MS);
    },
    [setCounts],
  );

  const handle = useCallback(
    async (scan: Scan) => {
      const request = {
        edition: slug,
        ...scan,
        nonce: crypto.randomUUID(),
        deviceId: deviceId(),
        scannedAt: new Date().toISOString(),
      };
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
        await countQueued();
        show(offline);
      }
    },
    [slug, headers, refused, setOnline, show, absorb, snapshotRef, admittedHere, countQueued],
  );

  const submit = useCallback(
    (scan: Scan) => {
      line.current = line.current.then(() => handle(scan)).catch(() => {});
      return line.current;
    },
    [handle],
  );

  const dismiss = useCallback(() => setAnswer(null), []);

  return { answer, submit, dismiss };
}
