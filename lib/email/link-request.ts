import type { Db } from "@/lib/db/prisma";
import { emailAddress } from "@/lib/forms/fields";
import type { Defer } from "@/lib/http/defer";
import { consumeClientRateLimit, consumeRateLimit } from "@/lib/rate-limit/consume";

const HOUR = 3600;

export type LinkRequestOutcome = "sent_if_known" | "invalid_email" | "rate_limited";

/**
 * "Email me a link" (a lost ticket, a returning attendee's details). The answer is the same whether
 * or not the address is known, so the form cannot be used to find out who registered; Postgres
 * counters allow 3 requests an hour per address and 20 per client. The lookup and the email
 * (`sendIfKnown`) are `defer`red past the answer, so its timing does not tell either.
 */
export async function requestEmailedLink(
  db: Pick<Db, "$queryRaw">,
  { purpose, email, clientKey }: { purpose: string; email: unknown; clientKey: string | null },
  sendIfKnown: (address: string) => Promise<void>,
  { now, defer }: { now: Date; defer: Defer },
): Promise<LinkRequestOutcome> {
  const address = emailAddress.safeParse(email);
  if (!address.success) return "invalid_email";
  const withinLimits =
    (await consumeRateLimit(db, `${purpose}:email:${address.data}`, { limit: 3, windowSeconds: HOUR, now })) &&
    (await consumeClientRateLimit(db, purpose, clientKey, { limit: 20, windowSeconds: HOUR, now }));
  if (!withinLimits) return "rate_limited";
  await defer(() => sendIfKnown(address.data));
  return "sent_if_known";
}
