import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { configureQueue } from "@/lib/editions/queue-settings";
import { joinQueue } from "@/lib/queue/queue";
import { startSecondInstance } from "./second-instance";

/**
 * The suite's own instance has no QUEUE_HMAC_KEY: waiting-room specs use an instance that has one, as every
 * instance must in production while a queue is on.
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
