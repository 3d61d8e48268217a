import "server-only";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { stripe } from "./stripe";
import { expireLapsedHolds } from "./expire-holds";

const EVERY_MS = 30_000;

/** Every instance tidies lapsed holds every 30 s; SKIP LOCKED keeps them out of each other's way. */
export function startHoldExpirySweep() {
  const payments = env().STRIPE_SECRET_KEY ? stripe() : null;
  const timer = setInterval(() => {
    expireLapsedHolds(db(), payments).catch((error) => console.error("hold expiry sweep failed", error));
  }, EVERY_MS);
  timer.unref();
}
