import { useCallback, useState } from "react";
import { REQUEST_TIMEOUT_MS } from "./device";
import { queuedScans, removeQueued } from "./offline-store";
import type { DoorCredentials } from "./use-door-access";

// Scans made offline go up in the order they were made, each with its own time and nonce.
export function useUploadQueue(slug: string, { headers, refused }: DoorCredentials, wentOffline: () => void) {
  const [queued, setQueued] = useState(0);

  const countQueued = useCallback(async () => setQueued((await queuedScans(slug)).length), [slug]);

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
        wentOffline();
        break;
      }
    }
    await countQueued();
  }, [slug, headers, refused, wentOffline, countQueued]);

  return { queued, upload, countQueued };
}
