import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { Client } from "pg";

const matches = (actual: string | undefined, expected: string | RegExp | undefined) =>
  expected === undefined || (typeof expected === "string" ? actual === expected : expected.test(actual ?? ""));

/** Waits for the email the app sent to `address`, as received by the test SMTP server. */
/** `nth` (1-based) picks among several matching emails, in the order they arrived. */
export async function waitForEmailTo(
  address: string,
  { subject, nth = 1, timeoutMs = 20_000 }: { subject?: string | RegExp; nth?: number; timeoutMs?: number } = {},
): Promise<ParsedMail> {
  const dir = process.env.MAIL_CAPTURE_DIR;
  if (!dir) throw new Error("MAIL_CAPTURE_DIR is not set: run the e2e tests through `npm test`.");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let seen = 0;
    for (const file of readdirSync(dir)
      .filter((name) => name.endsWith(".eml"))
      .sort()) {
      const raw = readFileSync(path.join(dir, file));
      if (!raw.includes(address)) continue;
      const mail = await simpleParser(raw, { keepCidLinks: true });
      const to = mail.to && !Array.isArray(mail.to) ? mail.to.text : "";
      if (to === address && matches(mail.subject, subject) && ++seen === nth) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `no email to ${address}${subject ? ` about "${subject}"` : ""} within ${timeoutMs} ms; ` +
      `the app's outbox for that address: ${await outboxStateOf(address)}`,
  );
}

// A missing email is a flake to explain, not to retry: what the outbox and the job queue say of that address's emails.
async function outboxStateOf(address: string): Promise<string> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT o.kind, o.status, o.attempts, o."lastError", o."queuedAt", o."sentAt",
         (SELECT json_agg(json_build_object('queue', j.name, 'state', j.state, 'retries', j.retry_count,
            'started', j.started_on, 'completed', j.completed_on, 'output', j.output))
          FROM pgboss.job j WHERE j.singleton_key = o.id::text) AS jobs
       FROM "EmailOutbox" o WHERE o."toAddress" = $1 ORDER BY o."queuedAt"`,
      [address],
    );
    return JSON.stringify(rows, null, 1);
  } catch (error) {
    return `unreadable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The attendee's private link in an email's text part. */
export function orderLinkIn(mail: ParsedMail): string {
  const link = mail.text?.match(/https?:\/\/\S+\/orders\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error("no order link in the email");
  return new URL(link).pathname;
}
