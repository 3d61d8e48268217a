// The check over an e2e run's server output (docs/operations.md, "Logs"): but Next's start-up banner, every line is
// the logger's JSON, and no line of the run holds a person's address, a ticket code, a token or a secret.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const LEAKS: [string, RegExp][] = [
  ["email address", /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/],
  ["ticket code", /G1[A-Za-z0-9_-]{120,}/],
  ["Stripe webhook secret", /whsec_/],
  ["Stripe secret key", /sk_test_|sk_live_/],
  ["bearer token", /Bearer /],
  ["session cookie", /next-auth\.session-token/],
];
const RUN = /[A-Za-z0-9_-]{32,}/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Next's start-up lines, coloured: `▲ Next.js 16…`, `- Local: …`, `✓ Ready in 80ms`, `✓ Running next.config.ts…`.
const BANNER_START = /▲ Next\.js/;
const BANNER_LINE = /^\s*(?:▲ Next\.js |- [\w ]+:|✓ (?:Starting|Ready in|Running next\.config))/;
const COLOURS = /\u001b\[[0-9;]*m/g;

export type LogCheck = { files: number; lines: number; problems: string[] };

function leaksOf(line: string): string[] {
  const found = LEAKS.filter(([, pattern]) => pattern.test(line)).map(([kind]) => kind);
  const token = [...line.replace(LEAKS[1][1], "").matchAll(RUN)].some(([run]) => !UUID.test(run));
  return token ? [...found, "token (32+ base64url characters)"] : found;
}

function shapeOf(line: string): string | null {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  if (typeof entry !== "object" || entry === null) return "not a JSON object";
  const missing = ["level", "time", "instance"].filter((field) => !(field in entry));
  return missing.length > 0 ? `no ${missing.join(", ")}` : null;
}

/**
 * Reads `server.log` and every `server-<port>.log` in `dir` (Playwright's instance and the specs' own). A problem
 * names the file, the line and what is wrong, never the text found.
 */
export function checkServerLogs(dir: string): LogCheck {
  const names = readdirSync(dir)
    .filter((name) => /^server(-\d+)?\.log$/.test(name))
    .sort();
  const problems: string[] = names.length === 0 ? [`no server log in ${dir}`] : [];
  let lines = 0;
  let withRequestId = 0;
  for (const name of names) {
    let inBanner = true;
    const text = readFileSync(path.join(dir, name), "utf8");
    text.split("\n").forEach((line, index) => {
      if (line.trim() === "") return;
      lines += 1;
      const where = `${name}:${index + 1}`;
      for (const kind of leaksOf(line)) problems.push(`${where}: ${kind}`);
      // The banner lasts until the instance's first line of its own.
      const plain = line.replace(COLOURS, "");
      if (BANNER_START.test(plain)) inBanner = true;
      if (inBanner && BANNER_LINE.test(plain)) return;
      inBanner = false;
      const shape = shapeOf(line);
      if (shape) {
        problems.push(`${where}: ${shape}`);
        return;
      }
      // Every request's line says which request it was; an instance stopped before its first request has none.
      const fields = JSON.parse(line) as Record<string, unknown>;
      if ("reqId" in fields) withRequestId += 1;
      else if ("route" in fields && "status" in fields) problems.push(`${where}: a request's line without reqId`);
    });
  }
  if (names.length > 0 && withRequestId === 0) problems.push("no line with a request id (reqId) in any log");
  return { files: names.length, lines, problems };
}
