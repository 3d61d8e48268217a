import pino from "pino";
import { currentRequestId } from "./context";
import { INSTANCE } from "./instance";
import { LOG_LEVELS, type LogLevel } from "./levels";
import { scrubLogLine } from "./scrub";

// Read here rather than through lib/env.ts, whose failure must itself be logged; env() refuses a bad value at start.
function levelFrom(setting: string | undefined): LogLevel {
  return LOG_LEVELS.includes(setting as LogLevel) ? (setting as LogLevel) : "info";
}

// Fields that hold a person's data or a credential, blanked by name at the top and two levels down; scrubLogLine then
// finds by shape what no name announces. `code` is not one: pino puts an error's own code there (ECONNREFUSED, a
// SQLSTATE), which an operator needs, and a ticket code is found by its shape anyway.
const PERSONAL_FIELDS = [
  "email",
  "toAddress",
  "buyerEmail",
  "firstName",
  "lastName",
  "name",
  "company",
  "answers",
  "token",
  "accessToken",
  "payToken",
  "password",
  "authorization",
  "cookie",
];
const REDACTED_PATHS = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

function createPino(): pino.Logger {
  return pino({
    level: levelFrom(process.env.LOG_LEVEL),
    base: { instance: INSTANCE },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    hooks: { streamWrite: scrubLogLine },
    // The request, job or sweep a line belongs to, so one registration's lines can be read together.
    mixin() {
      const reqId = currentRequestId();
      return reqId ? { reqId } : {};
    },
  });
}

// Node prints the process's warnings (a library's deprecation, say) as plain text on stderr, Node's own `onWarning`
// listener: they become log lines instead, JSON and scrubbed like the others.
function logProcessWarnings(logger: pino.Logger) {
  for (const listener of process.listeners("warning")) {
    if (listener.name === "onWarning") process.off("warning", listener);
  }
  process.on("warning", (warning: Error & { code?: string }) =>
    logger.warn({ warning: { type: warning.name, code: warning.code, message: warning.message } }, "process warning"),
  );
}

function createLogger(): pino.Logger {
  const logger = createPino();
  logProcessWarnings(logger);
  return logger;
}

// One logger per process, whichever bundle imports it first (see context.ts).
const KEY = Symbol.for("guichet.log");

/**
 * The server's logger: JSON lines on stdout, read by journald. `error` is for a person to act on, `warn` for what
 * was retried or refused by a remote, `info` for a line per request, job, sweep that changed something.
 */
export const log: pino.Logger = ((globalThis as Record<symbol, unknown>)[KEY] ??= createLogger()) as pino.Logger;
