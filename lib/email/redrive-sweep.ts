import "server-only";
import { db } from "@/lib/db/prisma";
import { redriveStalledEmails } from "./redrive";

const EVERY_MS = 120_000;

/** Every instance re-drives stalled emails every 2 minutes; an advisory lock lets one at a time do it. */
export function startEmailRedriveSweep() {
  const timer = setInterval(() => {
    redriveStalledEmails(db()).catch((error) => console.error("email re-drive failed", error));
  }, EVERY_MS);
  timer.unref();
}
