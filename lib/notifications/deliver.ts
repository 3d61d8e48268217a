import type { KeyObject } from "node:crypto";
import type { Transporter } from "nodemailer";
import type { Db } from "@/lib/db/prisma";
import { EMAIL_RETRY_POLICY, queueOfKind } from "@/lib/email/queue";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/metrics/registry";
import { composeEmail } from "./renderers";

export type DeliveryDeps = {
  db: Db;
  transport: Transporter;
  from: string;
  appUrl: string;
  signingKey: KeyObject;
  /** The app's clock (lib/time/clock.ts appNow, which e2e runs move); the wall clock by default. */
  now?: () => Date;
  /** Signs the opt-out links of the organisers' messages (emailLinkKeyFrom); without it, such an email fails. */
  emailLinkKey?: string;
  /** Failed attempts, over every job of one email, before it is FAILED (EMAIL_RETRY_POLICY by default). */
  maxAttempts?: number;
};

export type DeliveryOutcome = "sent" | "not_pending" | "superseded" | "failed" | "busy" | "missing";

/**
 * Sends one outbox email over SMTP and marks it SENT, holding the outbox row's lock meanwhile so
 * two workers never send it at once; only a PENDING email is ever sent. A failure records the
 * attempt: a permanent SMTP refusal (5xx) or the last attempt of the retry policy makes it FAILED,
 * anything else is rethrown for the job queue to retry with backoff.
 */
export async function deliverOutboxEmail(deps: DeliveryDeps, outboxId: string): Promise<DeliveryOutcome> {
  const { db } = deps;
  // Set inside the transaction once the row is read: the counter is labelled by its queue.
  let kind = null as string | null;
  try {
    const outcome = await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ status: string }[]>`
          SELECT status::text AS status FROM "EmailOutbox" WHERE id = ${outboxId}::uuid FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) {
          return (await tx.emailOutbox.count({ where: { id: outboxId } })) === 0 ? "missing" : "busy";
        }
        if (rows[0].status !== "PENDING") return "not_pending";
        const email = await tx.emailOutbox.findUniqueOrThrow({
          where: { id: outboxId },
          include: {
            order: {
              include: {
                edition: true,
                tickets: {
                  include: { ticketType: true, voucher: { select: { code: true } } },
                  orderBy: { createdAt: "asc" },
                },
                invoices: true,
              },
            },
          },
        });
        kind = email.kind;
        const composed = await composeEmail(deps, email);
        if (composed === "missing") return "missing";
        if ("supersededBecause" in composed) {
          await tx.emailOutbox.update({
            where: { id: outboxId },
            data: { status: "SUPERSEDED", lastError: composed.supersededBecause },
          });
          return "superseded";
        }
        await deps.transport.sendMail({
          from: deps.from,
          to: email.toAddress,
          messageId: `<${outboxId}@guichet>`,
          ...composed.send,
        });
        await tx.emailOutbox.update({
          where: { id: outboxId },
          data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
        });
        return "sent";
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    if (kind && (outcome === "sent" || outcome === "superseded")) countEmail(kind, outcome);
    return outcome;
  } catch (error) {
    const attempt = await recordFailedAttempt(
      db,
      outboxId,
      error,
      deps.maxAttempts ?? EMAIL_RETRY_POLICY.maxAttempts,
    ).catch(() => null);
    const failed = attempt?.status === "FAILED";
    if (attempt) countEmail(attempt.kind, failed ? "failed" : "retry");
    // The outbox id only: the address and the text stay out of logs (the logger scrubs an address in the error).
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
    log.warn({ outboxId, outcome: failed ? "failed" : "retry", reason }, "email not sent");
    if (failed) return "failed";
    throw error;
  }
}

const countEmail = (kind: string, outcome: "sent" | "superseded" | "retry" | "failed") =>
  metrics().emails.inc({ queue: queueOfKind(kind), outcome });

/**
 * Keeps the SMTP error; says whether the email is now FAILED (no retry will help, or none is left), and its kind.
 * Undefined when it was no longer PENDING.
 */
async function recordFailedAttempt(db: Db, outboxId: string, error: unknown, maxAttempts: number) {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  const permanent = typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const rows = await db.$queryRaw<{ status: string; kind: string }[]>`
    UPDATE "EmailOutbox"
    SET attempts = attempts + 1, "lastError" = ${message},
        status = CASE WHEN ${permanent} OR attempts + 1 >= ${maxAttempts} THEN 'FAILED'::"EmailStatus" ELSE status END
    WHERE id = ${outboxId}::uuid AND status = 'PENDING'
    RETURNING status::text AS status, kind`;
  return rows[0];
}
