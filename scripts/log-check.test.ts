import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkServerLogs } from "./log-check";

// As `next start` prints it, coloured.
const BANNER = [
  "\u001b[1m\u001b[38;2;173;127;168m▲ Next.js 16.4.6\u001b[39m\u001b[22m",
  "- Local:         http://localhost:3167",
  "- Network:       http://192.0.2.2:3167",
  "",
  "\u001b[32m\u001b[1m✓\u001b[22m\u001b[39m Ready in 93ms",
  "\u001b[32m\u001b[1m✓\u001b[22m\u001b[39m Running next.config.ts took 58ms",
];
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: "2026-11-26T18:00:00.000Z", instance: "vm:3167", ...fields });
const ACCESS = line({
  reqId: "0b8f3c8e-4f7a-4c55-9d8e-2f0a7f3c1e11",
  method: "GET",
  route: "/:locale/tickets/:token",
  status: 200,
  ms: 12.5,
  msg: "request",
});

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function logs(files: Record<string, string[]>) {
  dir = mkdtempSync(path.join(tmpdir(), "log-check-"));
  for (const [name, lines] of Object.entries(files)) writeFileSync(path.join(dir, name), lines.join("\n") + "\n");
  return checkServerLogs(dir);
}

describe("checkServerLogs", () => {
  it("passes clean JSON lines after Next's banner, in every instance's file", () => {
    const clean = [...BANNER, ACCESS, line({ outboxId: "5d0c8d5e-8a7e-4b0e-b7a4-9b1f0e2c3d4e", msg: "email job" })];
    const result = logs({ "server.log": clean, "server-41234.log": [...BANNER, ACCESS] });
    expect(result).toEqual({ files: 2, lines: 13, problems: [] });
  });

  it("finds each kind of leak, by file and line, without repeating what leaked", () => {
    const code = "G1" + "Ab_-9".repeat(27);
    const leaks = [
      line({ msg: "sent to ada.lovelace@example.org, not to pg@9.0" }),
      line({ msg: `scan ${code}` }),
      line({ msg: "link /fr/orders/0W3nQyq1oqM4u2u3vF_0jLw-7yQH7lJf7m4bB2sE9Zg" }),
      line({ msg: "signing with whsec_abc" }),
      line({ msg: "key sk_test_51abc" }),
      line({ headers: "authorization: Bearer x" }),
      line({ cookie: "next-auth.session-token=abc" }),
    ];
    const result = logs({ "server.log": [...BANNER, ACCESS, ...leaks] });
    expect(result.problems).toEqual([
      "server.log:8: email address",
      "server.log:9: ticket code",
      "server.log:10: token (32+ base64url characters)",
      "server.log:11: Stripe webhook secret",
      "server.log:12: Stripe secret key",
      "server.log:13: bearer token",
      "server.log:14: session cookie",
    ]);
    expect(result.problems.join("\n")).not.toContain("example.org");
  });

  it("refuses plain text after the banner, JSON without level, time or instance, a request without its id", () => {
    const { reqId, ...withoutId } = JSON.parse(ACCESS) as Record<string, unknown>;
    expect(reqId).toBeDefined();
    const result = logs({
      "server.log": [...BANNER, ACCESS, " ⚠ Something Next printed", JSON.stringify({ level: 30, msg: "no time" })],
      "server-41234.log": [...BANNER, line({ msg: "started" }), JSON.stringify(withoutId)],
      "server-41235.log": [...BANNER, line({ msg: "stopped before any request" })],
    });
    expect(result.problems).toEqual([
      `server-41234.log:${BANNER.length + 2}: a request's line without reqId`,
      "server.log:8: not JSON",
      "server.log:9: no time, instance",
    ]);
    expect(logs({ "server.log": [...BANNER, line({ msg: "started" })] }).problems).toEqual([
      "no line with a request id (reqId) in any log",
    ]);
  });

  it("checks leaks in the banner too, and fails when there is no log at all", () => {
    expect(logs({ "server.log": ["   ▲ Next.js 16.4.6", "- Local: http://ada@example.org", ACCESS] }).problems).toEqual(
      ["server.log:2: email address"],
    );
    expect(logs({}).problems).toEqual([`no server log in ${dir}`]);
  });
});
