// The scanner's memory on the device (IndexedDB): the last snapshot of each edition, and the scans
// made while offline, waiting to be uploaded.
import type { OfflineSnapshot } from "@/lib/checkin/offline";

export type QueuedScan = {
  nonce: string;
  edition: string;
  code?: string;
  ticketId?: string;
  deviceId: string;
  scannedAt: string;
  offlineAdmitted: boolean;
  /** Admitted with the group of this scanned ticket (see lib/checkin/group-check-in.ts). */
  viaTicketId?: string;
};

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("guichet-checkin", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("snapshots");
      request.result.createObjectStore("queue", { keyPath: "nonce" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(
  store: string,
  mode: IDBTransactionMode,
  work: (objects: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const request = work(db.transaction(store, mode).objectStore(store));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).finally(() => db.close());
}

export const saveSnapshot = (slug: string, snapshot: OfflineSnapshot) =>
  run("snapshots", "readwrite", (store) => store.put(snapshot, slug));
export const loadSnapshot = (slug: string) =>
  run<OfflineSnapshot | undefined>("snapshots", "readonly", (store) => store.get(slug));
export const loadSnapshots = () => run<OfflineSnapshot[]>("snapshots", "readonly", (store) => store.getAll());
export const queueScan = (scan: QueuedScan) => run("queue", "readwrite", (store) => store.put(scan));
export const removeQueued = (nonce: string) => run("queue", "readwrite", (store) => store.delete(nonce));
export const queuedScans = async (edition: string) =>
  (await run<QueuedScan[]>("queue", "readonly", (store) => store.getAll()))
    .filter((scan) => scan.edition === edition)
    .sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
