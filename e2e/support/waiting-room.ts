import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { configureQueue } from "@/lib/editions/queue-settings";
import { joinQueue } from "@/lib/queue/queue";
import { startSecondInstance } from "./second-instance";

/**
 * Waiting-room specs run on an instance with its own QUEUE_HMAC_KEY, as production sets one (the suite's own
 * instance signs places with a key derived from its AUTH_SECRET, lib/queue/key.test.ts).
 */
export const startQueueInstance = () =>
  startSecondInstance({
    QUEUE_HMAC_KEY: randomBytes(32).toString("base64url"),
    // As the suite's instance: the defences are proven elsewhere and would only slow these specs.
    REGISTRATION_CHALLENGE: "off",
    REGISTRATIONS_PER_CLIENT_PER_HOUR: "100000",
    UNPAID_HOLDS_PER_CLIENT: "100000",
  });

/** Turns the edition's waiting room on at `admitPerSecond`, with `ahead` people already in line. */
export async function openWaitingRoom(db: Db, editionId: string, admitPerSecond: number, ahead: number) {
  await db.$transaction((tx) => configureQueue(tx, editionId, { enabled: true, opensAt: null, admitPerSecond }));
  for (let i = 0; i < ahead; i++) await joinQueue(db, editionId);
}
