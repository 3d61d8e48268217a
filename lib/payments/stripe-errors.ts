// Stripe's error classes can exist twice in a bundled server (its ESM and CJS builds), which makes
// `instanceof` unreliable; every Stripe error carries its class name in `type`, so test that.
export function isStripeError(error: unknown, type?: string): error is Error & { type: string; message: string } {
  if (
    !(error instanceof Error) ||
    !("type" in error) ||
    typeof error.type !== "string" ||
    !error.type.startsWith("Stripe")
  )
    return false;
  return type === undefined || error.type === type;
}
