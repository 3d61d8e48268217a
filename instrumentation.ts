// Runs once when a server instance starts (Next.js instrumentation hook): the background work
// every instance shares through Postgres.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { recordRequestStarts } = await import("@/lib/http/request-start");
  recordRequestStarts();
  const { startHoldExpirySweep } = await import("@/lib/payments/hold-expiry-sweep");
  startHoldExpirySweep();
  const { startRefundSweep } = await import("@/lib/payments/refund-sweep");
  startRefundSweep();
  const { startUnnamedReminderSweep } = await import("@/lib/orders/unnamed-reminder-sweep");
  startUnnamedReminderSweep();
  const { startMessageSweep } = await import("@/lib/messages/message-sweep");
  startMessageSweep();
  const { startQueueTicker } = await import("@/lib/queue/app-queue");
  startQueueTicker();
  const { startAppEmail } = await import("@/lib/notifications/app-worker");
  await startAppEmail().catch((error) => console.error("email queue or worker did not start", error));
}
