import { EdgeRefusal } from "@/lib/http/edge";
import { retryAfterMs } from "./gate";
import type { QueueHold } from "./register-in-turn";

/** The header a client sends its place back in (docs/api.md, "Queue"). */
export const QUEUE_TICKET_HEADER = "guichet-queue-ticket";

const REFUSAL = {
  forged: [403, "queue_ticket_invalid", "This queue ticket is not valid for this edition: join again without it"],
  other_edition: [
    403,
    "queue_ticket_invalid",
    "This queue ticket is not valid for this edition: join again without it",
  ],
  expired: [403, "queue_ticket_expired", "This queue ticket has expired: join again without it"],
  used: [409, "queue_ticket_used", "This queue ticket has already placed an order: join again without it"],
} as const;

/**
 * A place in the queue as the API answers it: 202 with the place, the estimate and when to ask again (also as
 * Retry-After; 200 to a poll), or the problem for a place that is no good or an edition with no seat left.
 */
export function queueHoldResponse(hold: QueueHold, queuedStatus = 202, random = Math.random()): Response {
  switch (hold.status) {
    case "queued": {
      const retry = retryAfterMs(hold.estimatedWaitSeconds, random);
      return Response.json(
        {
          status: "queued",
          queueTicket: hold.ticket,
          position: hold.position,
          estimatedWaitSeconds: hold.estimatedWaitSeconds,
          retryAfterMs: retry,
          seatsLeft: hold.seatsLeft,
          opensAt: hold.opensAt?.toISOString() ?? null,
        },
        {
          status: queuedStatus,
          headers: { "retry-after": String(Math.ceil(retry / 1000)), "cache-control": "no-store" },
        },
      );
    }
    case "sold_out":
      throw new EdgeRefusal(409, "sold_out", { left: 0 });
    case "no_ticket":
      throw new EdgeRefusal(400, "queue_ticket_required", { title: "Send the queue ticket: ?ticket=…" });
    case "refused": {
      const [status, code, title] = REFUSAL[hold.reason];
      throw new EdgeRefusal(status, code, { title });
    }
  }
}
