import "server-only";
import { createHmac } from "node:crypto";
import { db } from "@/lib/db/prisma";
import { env, type Env } from "@/lib/env";
import { tickQueues } from "./queue";
import { cachedQueueState } from "./state";

const EVERY_MS = 250;

/**
 * Every instance moves the open queues' frontiers every 250 ms (see tickQueues: a second instance's tick
 * changes nothing). A tick still running when the next is due is not doubled.
 */
export function startQueueTicker() {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tickQueues(db())
      .catch((error) => console.error("queue tick failed", error))
      .finally(() => (running = false));
  }, EVERY_MS);
  timer.unref();
}

/** This instance's view of the editions' queues, shared by the API, the pages and the form (250 ms). */
export const queueState = cachedQueueState(EVERY_MS);

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
