import "server-only";
import { readFileSync, statSync } from "node:fs";
import { env } from "@/lib/env";

/**
 * "Now" for the paths that follow the test clock (docs/waiting-list.md, "The test clock"): the background sweeps
 * (holds, blocks, waiting-list offers, messages and reminders), the waiting list's pages and joins, certificates, and
 * the attendee's order and ticket pages and actions. Without TEST_CLOCK_FILE
 * (production) it is the wall clock and touches no file; with it, the wall clock shifted by the file's offset, so an
 * e2e run can move time forward for an app started with `next start`.
 */
export function appNow(): Date {
  return clockReading(env().TEST_CLOCK_FILE);
}

/**
 * The test clock's time when TEST_CLOCK_FILE is set, else undefined: for the paths that decide on the database's
 * clock in production (the hold sweep, lib/capacity/seats.ts holdClock), which must keep it.
 */
export function testClockNow(): Date | undefined {
  const file = env().TEST_CLOCK_FILE;
  return file === undefined ? undefined : clockReading(file);
}

let cached: { key: string; offsetMs: number } | undefined;

/**
 * The wall clock shifted by the offset in `file`: an integer number of milliseconds (negative goes back), written
 * whole (e2e/support/clock.ts writes a new file and renames it over). No file is no offset, so the clock can be reset
 * by deleting it. Anything else in it is a broken test set-up: an error naming the file, never a silent wall clock.
 * The file is read again only when its inode, size or modification time change (one stat per call).
 */
export function clockReading(file: string | undefined, wall: Date = new Date()): Date {
  if (file === undefined) return wall;
  return new Date(wall.getTime() + offsetIn(file));
}

function offsetIn(file: string): number {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  const key = `${file}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  if (cached?.key === key) return cached.offsetMs;
  const text = readFileSync(file, "utf8").trim();
  const offsetMs = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(offsetMs)) {
    const found = JSON.stringify(text.slice(0, 40));
    throw new Error(`TEST_CLOCK_FILE ${file} must hold an offset in milliseconds (an integer), not ${found}`);
  }
  cached = { key, offsetMs };
  return offsetMs;
}
