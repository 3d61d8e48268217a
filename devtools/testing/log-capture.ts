import { Writable } from "node:stream";
import pino from "pino";
import { log } from "@/lib/log/logger";

export type LogLine = Record<string, unknown> & { level: number; msg?: string };

/**
 * Takes the app's logger's output (redacted, scrubbed, with its mixin's fields: what stdout would have received)
 * until `restore()`: `lines()` parses each, `text()` is the raw output. The logger itself is untouched, only the
 * stream it writes to.
 */
export function captureLog(level: pino.Level = "debug") {
  const chunks: string[] = [];
  const target = log as unknown as Record<symbol, unknown>;
  const stream = pino.symbols.streamSym;
  const previous = { stream: target[stream], level: log.level };
  target[stream] = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  log.level = level;
  const text = () => chunks.join("");
  return {
    text,
    lines: (): LogLine[] =>
      text()
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as LogLine),
    restore() {
      target[stream] = previous.stream;
      log.level = previous.level;
    },
  };
}
