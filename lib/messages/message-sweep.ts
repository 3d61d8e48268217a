import "server-only";
import type { Db } from "@/lib/db/prisma";
import { addRecipients, chooseRecipients, queueRecipients } from "./dispatch";

/** Scheduled messages started per sweep: the rest wait for the next one, seconds later. */
const DUE_PER_SWEEP = 5;

/**
 * One sweep of the messages, with `now` passed into every statement (no database clock: a test or an e2e run decides
 * the time): scheduled messages whose time has come are dispatched, and every dispatch left unfinished (an instance
 * stopped between batches, or a message another instance is still queueing) gets its remaining batches; editions whose
 * practical information is due have it sent to the attendees who do not have it yet. Two instances
 * sweeping at once send a message once: its conditional transition happens once, and its recipients are shared by
 * SKIP LOCKED under the unique keys.
 */
export async function runMessageSweep(db: Db, now: Date): Promise<{ dispatched: number; queued: number }> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Message" WHERE status = 'SCHEDULED' AND "sendAt" <= ${now}
     ORDER BY "sendAt", id LIMIT ${DUE_PER_SWEEP}`;
  let dispatched = 0;
  for (const { id } of due) if ((await chooseRecipients(db, id, now)) !== null) dispatched += 1;
  await addPracticalInfoRecipients(db, now);
  const unfinished = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Message" WHERE status = 'QUEUEING' ORDER BY "dispatchedAt", id`;
  let queued = 0;
  for (const { id } of unfinished) queued += await queueRecipients(db, id, now);
  return { dispatched, queued };
}

/** What the practical information goes to: every confirmed attendee, whatever the opt-outs (it is about attending). */
export const PRACTICAL_INFO_FILTER = { status: "confirmed" };

/**
 * The practical information of every edition whose time for it has come and which has not started: its standing
 * message (one per edition, the partial unique index) is created or set QUEUEING again, and gains the attendees it
 * has not reached yet: ON CONFLICT DO NOTHING on (message, address), so each address gets it once whichever
 * instances sweep, and someone registering after the due time gets it at the next sweep. A standing message the
 * organisers cancelled stays cancelled.
 */
async function addPracticalInfoRecipients(db: Db, now: Date): Promise<void> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT e.id::text AS id FROM "Edition" e
     WHERE e.status <> 'DRAFT' AND e."practicalInfoDays" IS NOT NULL
       AND ${now} >= guichet_practical_info_due(e) AND ${now} < e."startsAt"`;
  for (const { id: editionId } of due) {
    await db.$transaction(async (tx) => {
      const [message] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "Message" (id, "editionId", kind, audience, filter, essential, status, "dispatchedAt", "updatedAt")
        VALUES (gen_random_uuid(), ${editionId}::uuid, 'PRACTICAL_INFO', 'ATTENDEES',
                ${JSON.stringify(PRACTICAL_INFO_FILTER)}::jsonb, true, 'QUEUEING', ${now}, ${now})
        ON CONFLICT ("editionId", kind) WHERE kind <> 'CUSTOM'
          DO UPDATE SET status = 'QUEUEING', "updatedAt" = ${now} WHERE "Message".status <> 'CANCELLED'
        RETURNING id::text AS id`;
      if (!message) return;
      const source = { editionId, audience: "ATTENDEES" as const, filter: PRACTICAL_INFO_FILTER, essential: true };
      await addRecipients(tx, message.id, source, now);
    });
  }
}
