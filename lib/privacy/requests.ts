import { recordAudit, type AuditActor, type LinkHolder } from "@/lib/audit/record";
import type { Db, Prisma } from "@/lib/db/prisma";
import { enqueueEmail, type PrivacyRefusalPayload } from "@/lib/email/outbox";
import type { PrivacyRequestKind } from "@/lib/generated/prisma/client";
import { emailHash } from "@/lib/messages/opt-out";

type Tx = Prisma.TransactionClient;

/** The audit's actor for what an attendee asks from a private link: never their address (the request has its hash). */
export const ATTENDEE: LinkHolder = { id: null, email: "attendee" };

/** The address a request is about, as every table compares it: trimmed, lower-cased. */
export const privacyKey = (address: string) => address.trim().toLowerCase();

/**
 * An attendee asks for their data to be erased (from a private page): one OPEN request per address, however often
 * they ask. `created` false when one was open already (nothing is emailed again then).
 */
export async function requestErasure(tx: Tx, emailKey: string, now: Date): Promise<{ id: string; created: boolean }> {
  const hash = emailHash(emailKey);
  const [inserted] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "PrivacyRequest" (id, kind, email, "emailHash", via, "requestedAt")
    VALUES (gen_random_uuid(), 'ERASURE', ${emailKey}, ${hash}, 'attendee', ${now})
    ON CONFLICT ("emailHash", kind) WHERE status = 'OPEN' DO NOTHING
    RETURNING id::text`;
  if (inserted) {
    await recordAudit(tx, ATTENDEE, {
      editionId: null,
      action: "privacy.erasure_requested",
      subjectType: "privacy_request",
      subjectId: inserted.id,
    });
    return { id: inserted.id, created: true };
  }
  const open = await tx.privacyRequest.findFirstOrThrow({
    where: { emailHash: hash, kind: "ERASURE", status: "OPEN" },
    select: { id: true },
  });
  return { id: open.id, created: false };
}

/** The requests waiting for an organiser, oldest first. */
export function openRequests(db: Db) {
  return db.privacyRequest.findMany({
    where: { status: "OPEN" },
    orderBy: { requestedAt: "asc" },
    select: { id: true, kind: true, email: true, via: true, requestedAt: true },
  });
}

/**
 * The requests already handled, latest first: what the organisers can show of how each was answered. The address is
 * gone from a closed request (its hash alone is kept), so none is shown.
 */
export function handledRequests(db: Db, take = 50) {
  return db.privacyRequest.findMany({
    where: { status: { not: "OPEN" } },
    orderBy: { completedAt: "desc" },
    take,
    select: {
      id: true,
      kind: true,
      status: true,
      via: true,
      requestedAt: true,
      completedAt: true,
      note: true,
      completedBy: { select: { email: true } },
    },
  });
}

/**
 * Marks the address's open request of `kind` DONE, or records one DONE made by the organiser when none was open (an
 * organiser acting on a request received by post or email); the address is dropped, its hash kept. Returns its id.
 */
export async function completeRequest(
  tx: Tx,
  kind: PrivacyRequestKind,
  emailKey: string,
  actor: AuditActor,
  now: Date,
): Promise<string> {
  const hash = emailHash(emailKey);
  const [closed] = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "PrivacyRequest" SET status = 'DONE', email = NULL, "completedAt" = ${now},
           "completedById" = ${actor.id}::uuid
     WHERE "emailHash" = ${hash} AND kind = ${kind}::"PrivacyRequestKind" AND status = 'OPEN'
    RETURNING id::text`;
  if (closed) return closed.id;
  const made = await tx.privacyRequest.create({
    data: {
      kind,
      emailHash: hash,
      via: "organiser",
      status: "DONE",
      requestedAt: now,
      completedAt: now,
      completedById: actor.id,
    },
    select: { id: true },
  });
  return made.id;
}

export type Refusal = { ok: true } | { ok: false; reason: "not_open" };

/** The language an address reads us in: that of its latest order or ticket (the ticket's own, else its order's). */
async function localeOfAddress(tx: Tx, emailKey: string): Promise<"fr" | "en" | null> {
  const address = { equals: emailKey, mode: "insensitive" as const };
  const [order, ticket] = await Promise.all([
    tx.order.findFirst({
      where: { buyerEmail: address },
      orderBy: { createdAt: "desc" },
      select: { locale: true, createdAt: true },
    }),
    tx.ticket.findFirst({
      where: { email: address },
      orderBy: { createdAt: "desc" },
      select: { locale: true, createdAt: true, order: { select: { locale: true } } },
    }),
  ]);
  if (ticket && (!order || ticket.createdAt > order.createdAt)) return ticket.locale ?? ticket.order.locale;
  return order?.locale ?? null;
}

/**
 * The organiser refuses an open request (an address they cannot tie to the asker, say), with a note; audited. The
 * person who asked is told why and where to complain (GDPR art. 12(4)), by an email queued in the same transaction.
 */
export async function refuseRequest(db: Db, id: string, actor: AuditActor, note: string, now: Date): Promise<Refusal> {
  return db.$transaction(async (tx): Promise<Refusal> => {
    // Locked, so that a second refusal racing this one finds it closed and emails nobody.
    const [open] = await tx.$queryRaw<{ email: string; kind: PrivacyRefusalPayload["kind"] }[]>`
      SELECT email, kind::text AS kind FROM "PrivacyRequest" WHERE id = ${id}::uuid AND status = 'OPEN' FOR UPDATE`;
    if (!open) return { ok: false, reason: "not_open" };
    await tx.privacyRequest.update({
      where: { id },
      data: { status: "REFUSED", email: null, note, completedAt: now, completedById: actor.id },
    });
    const payload: PrivacyRefusalPayload = { kind: open.kind, note };
    await enqueueEmail(tx, {
      dedupeKey: `privacy-request-refused:${id}`,
      kind: "privacy_request_refused",
      toAddress: open.email,
      locale: (await localeOfAddress(tx, open.email)) ?? "fr",
      payload,
    });
    await recordAudit(tx, actor, {
      editionId: null,
      action: "privacy.request_refused",
      subjectType: "privacy_request",
      subjectId: id,
      after: { note },
    });
    return { ok: true };
  });
}
