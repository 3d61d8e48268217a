import type { LoggerInstance } from "next-auth";
import { log } from "@/lib/log/logger";

/**
 * next-auth's own reports (a failed callback, a misconfiguration) as the app's log lines: by default it prints them
 * as plain text with whatever it was given, a sign-in address included.
 */
export const nextAuthLogger: LoggerInstance = {
  error: (code, metadata) =>
    log.error({ code, err: metadata instanceof Error ? metadata : metadata?.error }, "next-auth error"),
  warn: (code) => log.warn({ code }, "next-auth warning"),
  debug: (code) => log.debug({ code }, "next-auth debug"),
};
