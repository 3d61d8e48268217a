// Runs once when a server instance starts (Next.js instrumentation hook).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startHoldExpirySweep } = await import("@/lib/orders/hold-expiry-sweep");
  startHoldExpirySweep();
}
