import { useCallback, useEffect, useRef, useState } from "react";
import type { OfflineAnswer, OfflineSnapshot } from "@/lib/checkin/offline";
import type { CheckInAnswer } from "@/lib/checkin/scan";
import { loadSnapshot, saveSnapshot } from "./offline-store";
import type { useDoorAccess } from "./use-door-access";
import { useUploadQueue } from "./use-upload-queue";

export type Answer = (CheckInAnswer & { offline?: boolean }) | OfflineAnswer;
export type Counts = { checkedIn: number; expected: number };

const SYNC_EVERY_MS = 30_000;

// The edition's snapshot kept on the device: loaded from storage, refreshed from the server every
// SYNC_EVERY_MS and when the network comes back, after the queued scans have gone up.
export function useSnapshotSync(slug: string, door: ReturnType<typeof useDoorAccess>) {
  const { headers, refused, granted } = door;
  const [snapshot, setSnapshotState] = useState<OfflineSnapshot | null>(null);
  // The latest snapshot for handlers that run one after another; the state above is for rendering.
  const snapshotRef = useRef<OfflineSnapshot | null>(null);
  const setSnapshot = useCallback((next: OfflineSnapshot) => {
    snapshotRef.current = next;
    setSnapshotState(next);
  }, []);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [online, setOnline] = useState(true);
  const wentOffline = useCallback(() => setOnline(false), []);
  const admittedHere = useRef(new Map<string, { at: string; deviceId: string }>());
  const { queued, upload, countQueued } = useUploadQueue(slug, door, wentOffline);

  const sync = useCallback(async () => {
    try {
      const response = await fetch(`/api/v1/checkin/${slug}`, {
        headers: headers(),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 401 || response.status === 403) return await refused(response);
      if (!response.ok) return;
      const fresh = (await response.json()) as OfflineSnapshot;
      granted();
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
  }, [slug, headers, setSnapshot, refused, granted]);

  useEffect(() => {
    void (async () => {
      const stored = await loadSnapshot(slug);
      if (stored) {
        setSnapshot(stored);
        setCounts(stored.counts);
      }
      await countQueued();
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
    if ("serviceWorker" in navigator) {
      void navigator.serviceWorker.register("/checkin/sw.js", { scope: "/checkin/" }).catch(() => {});
    }
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      clearInterval(timer);
    };
  }, [slug, sync, upload, countQueued, setSnapshot]);

  // What the server says updates the stored snapshot too, so an outage later starts from the
  // latest counts and check-ins rather than from the last full sync.
  const absorb = useCallback(
    async (answered: Answer) => {
      const stored = snapshotRef.current ?? (await loadSnapshot(slug));
      if (!stored) return;
      const checkedInAt =
        answered.result === "admitted" || answered.result === "already_checked_in" ? answered.checkedInAt : null;
      const updated: OfflineSnapshot = {
        ...stored,
        counts: answered.counts,
        tickets:
          checkedInAt && "ticketId" in answered
            ? stored.tickets.map((ticket) => (ticket.id === answered.ticketId ? { ...ticket, checkedInAt } : ticket))
            : stored.tickets,
      };
      setSnapshot(updated);
      await saveSnapshot(slug, updated);
    },
    [slug, setSnapshot],
  );

  return {
    snapshot,
    snapshotRef,
    counts,
    setCounts,
    online,
    setOnline,
    queued,
    countQueued,
    admittedHere,
    absorb,
  };
}

export type SnapshotSync = ReturnType<typeof useSnapshotSync>;
