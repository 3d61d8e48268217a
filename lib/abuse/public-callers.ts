import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { clientKey } from "@/lib/http/client-key";
import type { Locale } from "@/lib/i18n/locales";
import type { RegistrationGuard } from "@/lib/orders/register";
import { registrationDefences } from "./defences";
import { guardRegistration } from "./registration-guard";
import { absoluteUrl, editionPath } from "@/lib/http/paths";
import { clientRateLimit } from "@/lib/rate-limit/consume";
import type { CodeLookup } from "@/lib/vouchers/redeem";
import { findCodeCountingGuesses } from "./code-guesses";

/** The registration form's caller: the solved challenge comes in the widget's hidden `altcha` field. */
export async function guardFormRegistration(formData: FormData): Promise<RegistrationGuard> {
  return guardRegistration(
    db(),
    { clientKey: await clientKey(), challenge: formData.get("altcha") },
    registrationDefences(),
  );
}

/**
 * An API caller: the solved challenge in an `X-Altcha` header or an `altcha` field of the JSON
 * body (from GET /api/v1/registration-challenge), or an organiser's API token instead.
 */
export async function guardApiRegistration(request: Request, body: unknown): Promise<RegistrationGuard> {
  const fromBody = body !== null && typeof body === "object" ? (body as { altcha?: unknown }).altcha : undefined;
  return guardRegistration(
    db(),
    {
      clientKey: await clientKey(),
      challenge: request.headers.get("x-altcha") ?? fromBody,
      authorization: request.headers.get("authorization"),
    },
    registrationDefences(),
  );
}

/** HTTP statuses of the refusals the defences add to registration's own. */
export const DEFENCE_REFUSAL_STATUS = { rate_limited: 429, too_many_unpaid_holds: 429, challenge_failed: 403 } as const;

/**
 * What the API adds to a refusal. "Already registered" points to the page that sends the ticket
 * again to that address (it answers the same for any address; see docs/api.md).
 */
export function refusalDetails(reason: string, editionSlug: string, locale: Locale): Record<string, string> {
  if (reason !== "already_registered") return {};
  return {
    lostTicketUrl: absoluteUrl(env().APP_URL, editionPath(locale, editionSlug, "lost-ticket")),
  };
}

/** A code typed on an edition's page (or its ?code= link), looked up for the visitor to see its prices. */
export async function findCodeForVisitor(
  editionId: string,
  typed: string,
  now: Date,
): Promise<CodeLookup | { ok: false; reason: "rate_limited" }> {
  const perHour = { limit: registrationDefences().registrationsPerClientPerHour, windowSeconds: 3600 };
  const limit = clientRateLimit("registration", await clientKey(), perHour);
  return findCodeCountingGuesses(db(), limit, editionId, typed, now);
}
