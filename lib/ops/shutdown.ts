import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Server } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

type StepLog = { info(fields: object, message: string): void; error(fields: object, message: string): void };

export type ShutdownDeps = {
  /** The HTTP server this process serves on; undefined when it has not served a request yet. */
  server: () => Server | undefined;
  /** Makes /api/ready answer 503. */
  startDraining: () => void;
  /** Stops new sweep runs at once; resolves when the runs in flight have ended. */
  stopSweeps: () => Promise<void>;
  /** How long the balancer's probe takes to notice the 503 (SHUTDOWN_DRAIN_SECONDS). */
  drainMs: number;
  /** The email worker's graceful stop, when this instance runs one. */
  stopEmail: (() => Promise<void>) | null;
  disconnectDb: () => Promise<void>;
  /** Whatever is left after this long, the process exits 1 (SHUTDOWN_TIMEOUT_SECONDS). */
  timeoutMs: number;
  exit: (code: number) => void;
  log: StepLog;
};

/**
 * The instance's SIGTERM (docs/operations.md, "Health and shutdown"): the balancer is told first and given time to
 * notice, then the requests in flight are answered, the sweeps and the emails in hand finished, and the database let
 * go. One log line per step, so a stop that hangs shows where.
 */
export async function shutDown(deps: ShutdownDeps): Promise<void> {
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    clearTimeout(deadline);
    deps.exit(code);
  };
  const deadline = setTimeout(() => {
    deps.log.error({ shutdown: "timeout" }, `shutdown: not done after ${deps.timeoutMs} ms, exiting 1`);
    exit(1);
  }, deps.timeoutMs);
  const step = (name: string, message: string) => deps.log.info({ shutdown: name }, `shutdown: ${message}`);
  try {
    deps.startDraining();
    step("draining", "draining, /api/ready answers 503");
    const sweepsEnded = deps.stopSweeps();
    step("sweeps-stopped", "no sweep starts any more");
    await delay(deps.drainMs);
    step("drained", `waited ${deps.drainMs} ms for the balancer to notice`);
    const server = deps.server();
    if (server) await closeServer(server);
    step("http-closed", server ? "requests in flight answered, server closed" : "no request was ever served");
    await sweepsEnded;
    step("sweeps-ended", "sweeps in flight ended");
    if (deps.stopEmail) await deps.stopEmail();
    step("email-stopped", deps.stopEmail ? "email worker stopped, jobs in hand finished" : "no email worker");
    await deps.disconnectDb();
    step("db-disconnected", "database disconnected");
    step("exit", "exiting 0");
    exit(0);
  } catch (error) {
    deps.log.error({ shutdown: "failed", err: error }, "shutdown: a step failed, exiting 1");
    exit(1);
  }
}

/**
 * Stops accepting connections and resolves once every connection has closed. Keep-alive connections are closed as
 * soon as they are idle: at once, then every second, since a connection whose request was in flight becomes idle
 * only once it is answered.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 1000);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * The HTTP server of this process, as Node announces it with the first request it serves: `next start` does not hand
 * it to the application otherwise.
 */
export function watchForServer(): () => Server | undefined {
  let server: Server | undefined;
  const onRequest = (message: unknown) => {
    server = (message as { server: Server }).server;
    unsubscribe("http.server.request.start", onRequest);
  };
  subscribe("http.server.request.start", onRequest);
  return () => server;
}

/** Runs `shutDown` on the first SIGTERM; a second one while it runs changes nothing. */
export function onSigterm(deps: ShutdownDeps): void {
  process.once("SIGTERM", () => {
    process.on("SIGTERM", () => undefined);
    void shutDown(deps);
  });
}
