import { env } from "@/lib/env";
import { ticketKeysFrom, type TicketKeys } from "./codes";

let keys: TicketKeys | undefined;

/** The app's ticket signing keys, from TICKET_SIGNING_KEY. */
export function ticketKeys(): TicketKeys {
  if (!keys) {
    const secret = env().TICKET_SIGNING_KEY;
    if (!secret)
      throw new Error(
        "TICKET_SIGNING_KEY is not set: ticket codes cannot be signed (npm start generates one into .data/).",
      );
    keys = ticketKeysFrom(secret);
  }
  return keys;
}
