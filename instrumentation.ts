// Runs once when a server instance starts (Next.js instrumentation hook): the background work
// every instance shares through Postgres.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startHoldExpirySweep } = await import("@/lib/orders/hold-expiry-sweep");
  startHoldExpirySweep();
  const { startRefundSweep } = await import("@/lib/payments/refund-sweep");
  startRefundSweep();
  const { startAppEmailWorker } = await import("@/lib/email/app-worker");
  await startAppEmailWorker().catch((error) => console.error("email worker did not start", error));
}
