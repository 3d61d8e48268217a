import "server-only";
import { env } from "@/lib/env";
import type { RegistrationDefences } from "./registration-guard";

/** The registration defences as configured (see .env.example). */
export function registrationDefences(): RegistrationDefences {
  const settings = env();
  return {
    challengeKey: settings.REGISTRATION_CHALLENGE === "on" ? (settings.ALTCHA_HMAC_KEY ?? null) : null,
    registrationsPerClientPerHour: settings.REGISTRATIONS_PER_CLIENT_PER_HOUR,
    unpaidHoldsPerClient: settings.UNPAID_HOLDS_PER_CLIENT,
    holderKey: settings.AUTH_SECRET ?? null,
  };
}
