import { AsyncLocalStorage } from "node:async_hooks";

export type LogContext = { requestId: string };

// One store per process: Next loads instrumentation and each route in bundles of their own, which would otherwise
// each hold a store that the others never see.
const KEY = Symbol.for("guichet.log.context");
const store = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new AsyncLocalStorage<LogContext>()) as AsyncLocalStorage<LogContext>;

/** The request, job or sweep the current code runs for, if any. */
export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}

/** Runs `work` (and everything it awaits) as part of `requestId`: its log lines and the emails it queues carry it. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return store.run({ requestId }, work);
}

/**
 * Makes the rest of the current synchronous call and everything it schedules part of `requestId`; for the HTTP
 * server's request-start hook, which cannot wrap the handler Node calls next.
 */
export function enterRequest(requestId: string) {
  store.enterWith({ requestId });
}
