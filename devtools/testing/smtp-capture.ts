import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on loopback that keeps what it receives. `failNext(n)` makes the next n
 * messages fail with a temporary error, as a mail relay that is down would; `failNext(n, 550)`
 * refuses them for good, as a relay does an address that does not exist. `answerDataAfterMs`: each message is
 * answered that long after its data ends, as a slow relay would (an email kept in flight, e2e/shutdown.spec.ts).
 */
export async function startSmtpCapture(
  onMessage?: (raw: Buffer, parsed: ParsedMail) => void,
  { answerDataAfterMs = 0 } = {},
) {
  const messages: ParsedMail[] = [];
  /** What the SMTP dialogue said about each message kept, in the same order: recipients, SMTPUTF8. */
  const envelopes: { rcptTo: string[]; smtpUtf8: boolean }[] = [];
  let failures = 0;
  let connections = 0;
  let failureCode = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (answerDataAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerDataAfterMs));
        if (failures > 0) {
          failures -= 1;
          const message = failureCode >= 500 ? "Mailbox unavailable" : "Service temporarily unavailable";
          const error = new Error(message) as Error & { responseCode: number };
          error.responseCode = failureCode;
          return callback(error);
        }
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw, { keepCidLinks: true });
        envelopes.push({
          rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          smtpUtf8: Boolean((session.envelope as { smtpUtf8?: boolean }).smtpUtf8),
        });
        messages.push(parsed);
        onMessage?.(raw, parsed);
        callback();
      });
    },
  });
  // A client dropping its connection (the app under test stopped mid-delivery at the end of a run) is the client's
  // business: without a listener, smtp-server's "error" event would crash the test runner after every test passed.
  server.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") console.error("SMTP capture:", error);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    envelopes,
    /** SMTP connections opened to it so far. */
    get connections() {
      return connections;
    },
    failNext(count: number, responseCode = 451) {
      failures = count;
      failureCode = responseCode;
    },
    async waitForMessages(count: number, timeoutMs = 30_000): Promise<ParsedMail[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (messages.length < count) throw new Error(`expected ${count} emails, got ${messages.length}`);
      return messages;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
