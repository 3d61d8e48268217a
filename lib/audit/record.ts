import type { Prisma } from "@/lib/generated/prisma/client";

export type AuditActor = { id: string; email: string };
/** Someone without an account, acting through a private link: known by the address they held then. */
export type LinkHolder = { id: null; email: string };

export type AuditChange = {
  editionId: string | null;
  action: string;
  subjectType:
    | "edition"
    | "ticket_type"
    | "question"
    | "ticket"
    | "order"
    | "user"
    | "api_token"
    | "organiser_profile"
    | "voucher"
    | "allocation"
    | "waitlist_entry"
    | "email_template"
    | "message"
    | "privacy_request";
  subjectId: string | null;
  before?: unknown;
  after?: unknown;
};

// Dates become ISO strings and undefined fields vanish, as they would in any JSON column.
function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null
    ? undefined
    : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

/** Writes one audit entry in the transaction of the change it describes. */
export async function recordAudit(
  tx: Prisma.TransactionClient,
  actor: AuditActor | LinkHolder,
  change: AuditChange,
): Promise<void> {
  await tx.auditEntry.create({
    data: {
      editionId: change.editionId,
      actorId: actor.id,
      actorEmail: actor.email,
      action: change.action,
      subjectType: change.subjectType,
      subjectId: change.subjectId,
      before: snapshot(change.before),
      after: snapshot(change.after),
    },
  });
}

/** The fields whose value differs between two snapshots of one record, before and after. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: T,
): { before: Partial<T>; after: Partial<T> } {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])) as Partial<T>,
    after: Object.fromEntries(changed.map((key) => [key, after[key]])) as Partial<T>,
  };
}
