import { env } from "@/lib/env";
import { ticketKeysFrom, type TicketKeys } from "./codes";

let keys: TicketKeys | undefined;

/** The app's ticket signing key, from TICKET_SIGNING_KEY, and the keys that verify codes (TICKET_PREVIOUS_KEYS too). */
export function ticketKeys(): TicketKeys {
  if (!keys) {
    const { TICKET_SIGNING_KEY: secret, TICKET_PREVIOUS_KEYS: previous } = env();
    if (!secret)
      throw new Error(
        "TICKET_SIGNING_KEY is not set: ticket codes cannot be signed (npm start generates one into .data/).",
      );
    keys = ticketKeysFrom(secret, previous);
  }
  return keys;
}
