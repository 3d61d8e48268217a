import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
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

/** The key that signs places in the queue, the same on every instance (QUEUE_HMAC_KEY). */
export function queueKey(): string {
  const key = env().QUEUE_HMAC_KEY;
  if (!key) throw new Error("QUEUE_HMAC_KEY is not set: an edition's queue is on and its places cannot be signed.");
  return key;
}

/** The browser keeps its place per edition in this cookie (HttpOnly, Lax), valid as long as the place. */
export const queueCookieName = (slug: string) => `guichet_queue_${slug}`;
