import type { Db } from "@/lib/db/prisma";
import { QueuePlaceUsed } from "@/lib/orders/place-order-sql";
import { registerAttendee, type RegistrationOptions, type RegistrationResult } from "@/lib/orders/register";
import { queueGate, type GateAnswer } from "./gate";
import type { QueueState } from "./state";

/** The gate's answer when it does not let the buyer through to registration. */
export type QueueHold = Exclude<GateAnswer, { status: "open" | "admitted" }>;

export type RegistrationInTurn = RegistrationResult | { ok: false; reason: "queue"; queue: QueueHold };

/**
 * Registration behind the edition's queue: the gate first, then `registerAttendee` with the place's ordinal,
 * which the order keeps under a unique index. Two tabs racing with one place: one order, the other is told
 * the place is used. A refused attempt stores nothing, so the buyer may correct the form and send it again.
 * `join`: a caller without a place takes one here (the API); the form's browser takes it through its cookie.
 * A waiting-list offer's registration (`offer`) passes the gate.
 */
export async function registerInTurn(
  db: Db,
  state: QueueState | null,
  editionSlug: string,
  input: unknown,
  ticket: string | null,
  { key, join = true, ...options }: RegistrationOptions & { key: string; join?: boolean },
): Promise<RegistrationInTurn> {
  const now = options.now ?? new Date();
  // An offer's holder does not queue behind the public for seats already theirs. Skipping the gate is safe with any
  // token: with one, the placement takes only the offer's held seats, under the offer's row, or refuses
  // (offer_unavailable); it never reaches a general seat, so nobody gets ahead of the line with a forged token.
  if (options.offer !== undefined) return registerAttendee(db, editionSlug, input, { ...options, now });
  const gate = await queueGate(db, state, ticket, { key, now, join });
  if (gate.status !== "open" && gate.status !== "admitted") return { ok: false, reason: "queue", queue: gate };
  const queueOrdinal = gate.status === "admitted" ? gate.ordinal : undefined;
  try {
    return await registerAttendee(db, editionSlug, input, { ...options, now, queueOrdinal });
  } catch (error) {
    if (error instanceof QueuePlaceUsed) {
      return { ok: false, reason: "queue", queue: { status: "refused", reason: "used" } };
    }
    throw error;
  }
}
