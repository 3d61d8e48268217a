import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { stripe } from "./stripe";
import { expireLapsedHolds } from "./expire-holds";
import { sendTransferExpiryNotices, sendTransferReminders } from "./transfer-reminders";
import { releaseDueAllocations } from "@/lib/vouchers/allocations";

const EVERY_MS = 30_000;
// Transfer reminders are counted in days: a look every 10 minutes is soon enough.
const REMINDERS_EVERY_MS = 600_000;

/**
 * Every instance tidies lapsed holds every 30 s, then tells the buyers of lapsed transfer orders, then gives the
 * blocks whose release date has come back to general sale; SKIP LOCKED, dedupe keys and the edition lock keep
 * instances out of each other's way. Transfer reminders go out from a slower timer.
 */
export function startHoldExpirySweep() {
  const payments = env().STRIPE_SECRET_KEY ? stripe() : null;
  const timer = setInterval(() => {
    expireLapsedHolds(db(), payments)
      .then(() => sendTransferExpiryNotices(db()))
      .then(() => releaseDueAllocations(db(), new Date()))
      .catch((error) => console.error("hold expiry sweep failed", error));
  }, EVERY_MS);
  timer.unref();
  const reminders = setInterval(() => {
    sendTransferReminders(db()).catch((error) => console.error("transfer reminder sweep failed", error));
  }, REMINDERS_EVERY_MS);
  reminders.unref();
}
