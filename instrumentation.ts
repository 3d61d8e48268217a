// Runs once when a server instance starts (Next.js instrumentation hook): the background work
// every instance shares through Postgres, and the clean stop on SIGTERM.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("@/lib/http/request-start")).recordRequestStarts();
  const { log } = await import("@/lib/log/logger");
  const { watchForServer, onSigterm } = await import("@/lib/ops/shutdown");
  // Before anything else starts, so that the first request, whenever it comes, is seen.
  const server = watchForServer();
  const { db } = await import("@/lib/db/prisma");
  const { env } = await import("@/lib/env");
  const { INSTANCE } = await import("@/lib/log/instance");
  const { stripe } = await import("@/lib/payments/stripe");
  const { startAppEmail } = await import("@/lib/notifications/app-worker");
  const { startSweeps, stopSweeps } = await import("@/lib/ops/sweeps");
  const { startDraining } = await import("@/lib/ops/draining");
  const settings = env();
  // The queue first: the email re-drive sweep sends to it.
  const stopEmail = await startAppEmail().catch((error) => {
    log.error({ err: error }, "email queue or worker did not start");
    return null;
  });
  startSweeps({ db: db(), stripe: settings.STRIPE_SECRET_KEY ? stripe() : null, settings, instance: INSTANCE });
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) {
    log.warn("NEXT_MANUAL_SIG_HANDLE is not set: SIGTERM stops this instance at once, emails and requests in hand cut");
    return;
  }
  onSigterm({
    server,
    startDraining,
    stopSweeps,
    drainMs: settings.SHUTDOWN_DRAIN_SECONDS * 1000,
    stopEmail,
    disconnectDb: () => db().$disconnect(),
    timeoutMs: settings.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    exit: (code) => process.exit(code),
    log,
  });
}
