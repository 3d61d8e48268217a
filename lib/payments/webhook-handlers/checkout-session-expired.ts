import { releasingHandler } from "./context";

/** checkout.session.expired: the attendee never paid; the held seat goes back on sale. */
export const handleCheckoutSessionExpired = releasingHandler("EXPIRED", "checkout_expired");
