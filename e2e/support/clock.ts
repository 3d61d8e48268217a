import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { takeClockTurn } from "./clock-turn";
import { test as base } from "./database";

function clockFile(): string {
  const file = process.env.TEST_CLOCK_FILE;
  if (!file)
    throw new Error("TEST_CLOCK_FILE is not set: run the e2e tests through `npm test` (playwright.config.ts).");
  return file;
}

let turnHeld = false;

/**
 * Moves the app's clock forward by `ms` (lib/time/clock.ts: the sweeps, the waiting list, certificates, and the
 * attendee's order and ticket pages and actions follow it). Only inside a test of this file's `test`, which holds the
 * clock's exclusive turn and resets it afterwards.
 */
export function advanceClock(ms: number) {
  if (!turnHeld) throw new Error("advanceClock: use `test` from e2e/support/clock.ts, which runs the test alone.");
  const file = clockFile();
  let offset = 0;
  try {
    offset = Number(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // A whole new file renamed over the old one: the app never reads a half-written offset.
  writeFileSync(`${file}.next`, String(offset + ms));
  renameSync(`${file}.next`, file);
}

/** The wall clock again: no file, no offset. */
export function resetClock() {
  rmSync(clockFile(), { force: true });
}

/**
 * For specs that move the app's clock: each test waits until no other test runs, runs alone, and leaves the clock
 * reset, so a moved clock cannot reach another spec (e2e/support/clock-turn.ts).
 */
export const test = base.extend({
  // The shared turn's override: automatic too, with its timeout.
  clockTurn: async ({}, use) => {
    const release = await takeClockTurn("exclusive");
    resetClock();
    turnHeld = true;
    try {
      await use();
    } finally {
      turnHeld = false;
      resetClock();
      await release();
    }
  },
});

export { expect } from "./database";
