import "server-only";
import { db } from "@/lib/db/prisma";
import { sendUnnamedReminders } from "./unnamed-reminders";

// Reminders are counted in days: a look every 10 minutes is soon enough, and cheap.
const EVERY_MS = 600_000;

/** Every instance looks for buyers to remind of their unnamed tickets; the claim keeps them from doubling up. */
export function startUnnamedReminderSweep() {
  const timer = setInterval(() => {
    sendUnnamedReminders(db()).catch((error) => console.error("unnamed ticket reminder sweep failed", error));
  }, EVERY_MS);
  timer.unref();
}
