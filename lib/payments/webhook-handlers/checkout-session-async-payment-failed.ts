import { releasingHandler } from "./context";

/** checkout.session.async_payment_failed: the bank said no after checkout; release the seat. */
export const handleCheckoutSessionAsyncPaymentFailed = releasingHandler("CANCELLED", "payment_failed");
