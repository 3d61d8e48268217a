import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { stripe } from "./stripe";
import { expireLapsedHolds } from "./expire-holds";
import { sendTransferExpiryNotices, sendTransferReminders } from "./transfer-reminders";
import { releaseDueAllocations } from "@/lib/vouchers/allocations";
import { expireOffers } from "@/lib/waitlist/sweep";
import { appNow, testClockNow } from "@/lib/time/clock";

const EVERY_MS = 30_000;
// Transfer reminders are counted in days: a look every 10 minutes is soon enough.
const REMINDERS_EVERY_MS = 600_000;

/**
 * Every instance tidies lapsed holds every 30 s, then tells the buyers of lapsed transfer orders; SKIP LOCKED and
 * dedupe keys keep instances out of each other's way. Transfer reminders go out from a slower timer. Blocks whose
 * release date has come give their unused seats back to general sale (BLOCK_RELEASE_SECONDS; the edition lock
 * makes a block released once, whichever instance finds it). Waiting-list offers past their deadline lapse and pass
 * to the next entry (WAITLIST_SWEEP_SECONDS; under the edition lock too). An e2e run can move the sweeps' time forward
 * (TEST_CLOCK_FILE, lib/time/clock.ts); otherwise holds lapse on the database's clock, blocks and offers on this
 * instance's, as before.
 */
export function startHoldExpirySweep() {
  const payments = env().STRIPE_SECRET_KEY ? stripe() : null;
  const timer = setInterval(() => {
    expireLapsedHolds(db(), payments, testClockNow())
      .then(() => sendTransferExpiryNotices(db()))
      .catch((error) => console.error("hold expiry sweep failed", error));
  }, EVERY_MS);
  timer.unref();
  const reminders = setInterval(() => {
    sendTransferReminders(db()).catch((error) => console.error("transfer reminder sweep failed", error));
  }, REMINDERS_EVERY_MS);
  reminders.unref();
  const releases = setInterval(() => {
    releaseDueAllocations(db(), appNow()).catch((error) => console.error("block release failed", error));
  }, env().BLOCK_RELEASE_SECONDS * 1000);
  releases.unref();
  const offers = setInterval(() => {
    expireOffers(db(), appNow()).catch((error) => console.error("waiting-list offer sweep failed", error));
  }, env().WAITLIST_SWEEP_SECONDS * 1000);
  offers.unref();
}
