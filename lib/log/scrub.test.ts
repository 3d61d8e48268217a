import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { captureLog } from "@/devtools/testing/log-capture";
import { generateTicketSigningKey, signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { log } from "./logger";
import { scrubLogLine } from "./scrub";

const ticketCode = () =>
  signTicketCode(
    { ticketId: randomUUID(), editionId: randomUUID(), codeVersion: 1 },
    ticketKeysFrom(generateTicketSigningKey()).privateKey,
  );

describe("scrubLogLine", () => {
  it("replaces email addresses, wherever they sit", () => {
    expect(scrubLogLine('{"msg":"to ada.lovelace+conf@example.org failed","x":"<Bob@Mail.Example.co.uk>"}')).toBe(
      '{"msg":"to <address> failed","x":"<<address>>"}',
    );
  });

  it("replaces a ticket code, and any other long base64url run, but keeps UUIDs, which name rows", () => {
    const code = ticketCode();
    const token = randomBytes(24).toString("base64url");
    const uuid = randomUUID();
    expect(scrubLogLine(`scan ${code} of ${uuid} via /tickets/${token}`)).toBe(
      `scan <code> of ${uuid} via /tickets/<token>`,
    );
    expect(scrubLogLine("short_runs-are-kept_31_chars_ab")).toBe("short_runs-are-kept_31_chars_ab");
    // A setting's name in a start-up error is kept; a token in capitals alone has no underscores between words.
    expect(scrubLogLine("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: is required")).toBe(
      "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: is required",
    );
    expect(scrubLogLine("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")).toBe("<token>");
  });

  it("replaces Stripe secrets, bearer tokens and a URL's credentials", () => {
    expect(scrubLogLine("whsec_abc123 sk_test_51Habc rk_live_x")).toBe("<secret> <secret> <secret>");
    expect(scrubLogLine('"authorization: Bearer abc.def"')).toBe('"authorization: <secret>"');
    expect(scrubLogLine("connect postgresql://guichet:s3cret@db.internal:5432/guichet failed")).toBe(
      "connect postgresql://<secret>@db.internal:5432/guichet failed",
    );
  });
});

describe("the logger", () => {
  let capture: ReturnType<typeof captureLog> | undefined;
  afterEach(() => capture?.restore());

  it("blanks personal fields by name, two levels down, and scrubs error messages and stacks", () => {
    capture = captureLog();
    const error = new Error("no mailbox for ada@example.org");
    log.warn({ email: "a", order: { buyerEmail: "b", ticket: { firstName: "Ada" } }, err: error }, "not sent");
    const [line] = capture.lines();
    expect(line).toMatchObject({
      email: "[redacted]",
      order: { buyerEmail: "[redacted]", ticket: { firstName: "[redacted]" } },
      err: { message: "no mailbox for <address>" },
      msg: "not sent",
    });
    expect(capture.text()).not.toContain("example.org");
    expect((line.err as { stack: string }).stack).toContain("no mailbox for <address>");
  });

  it("writes the process's warnings as log lines, not as Node's plain text on stderr", async () => {
    capture = captureLog();
    process.emitWarning("Calling client.query() for ada@example.org is deprecated", {
      type: "DeprecationWarning",
      code: "DEP_TEST_LOG",
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(capture.lines()).toMatchObject([
      {
        level: 40,
        msg: "process warning",
        warning: { type: "DeprecationWarning", code: "DEP_TEST_LOG", message: expect.stringContaining("<address>") },
      },
    ]);
    expect(process.listeners("warning").map((listener) => listener.name)).not.toContain("onWarning");
  });

  it("keeps an error's own code, which an operator needs", () => {
    capture = captureLog();
    log.error({ err: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) }, "database unreachable");
    expect(capture.lines()[0]).toMatchObject({ err: { code: "ECONNREFUSED" }, level: 50 });
  });
});
