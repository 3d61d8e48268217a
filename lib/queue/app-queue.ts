import "server-only";
import { createHmac } from "node:crypto";
import { env, type Env } from "@/lib/env";
import { cachedQueueState } from "./state";

/**
 * How often every instance moves the open queues' frontiers (the `queue-tick` sweep, lib/ops/sweeps.ts; a second
 * instance's tick changes nothing), and how long this instance keeps its view of them.
 */
export const QUEUE_TICK_MS = 250;

/** This instance's view of the editions' queues, shared by the API, the pages and the form (250 ms). */
export const queueState = cachedQueueState(QUEUE_TICK_MS);

/**
 * The key that signs places in the queue, the same on every instance: QUEUE_HMAC_KEY, or else one derived
 * from AUTH_SECRET, which every instance already shares for the back office's sessions, so that turning
 * a queue on never depends on one more secret having been set everywhere.
 */
export function queueKeyFrom(settings: Pick<Env, "QUEUE_HMAC_KEY" | "AUTH_SECRET">): string | null {
  if (settings.QUEUE_HMAC_KEY) return settings.QUEUE_HMAC_KEY;
  if (!settings.AUTH_SECRET) return null;
  return createHmac("sha256", settings.AUTH_SECRET).update("guichet waiting-room places").digest("base64url");
}

export function queueKey(): string {
  const key = queueKeyFrom(env());
  if (!key) throw new Error("Neither QUEUE_HMAC_KEY nor AUTH_SECRET is set: places in a queue cannot be signed.");
  return key;
}

/** The browser keeps its place per edition in this cookie (HttpOnly, Lax), valid as long as the place. */
export const queueCookieName = (slug: string) => `guichet_queue_${slug}`;
