import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { clockReading } from "./clock";

const dir = mkdtempSync(path.join(tmpdir(), "guichet-clock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wall = new Date("2027-05-20T07:00:00.000Z");
// As e2e/support/clock.ts writes it: a whole new file renamed over the old one.
function writeClock(file: string, text: string) {
  writeFileSync(`${file}.next`, text);
  renameSync(`${file}.next`, file);
}

describe("the app's clock", () => {
  it("is the wall clock when no test clock file is set", () => {
    expect(clockReading(undefined, wall)).toEqual(wall);
    expect(Math.abs(clockReading(undefined).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("runs ahead (or behind) by the file's offset, and follows each new offset", () => {
    const file = path.join(dir, "shifted");
    writeClock(file, "90000000\n");
    expect(clockReading(file, wall).toISOString()).toBe("2027-05-21T08:00:00.000Z");
    writeClock(file, "-60000");
    expect(clockReading(file, wall).toISOString()).toBe("2027-05-20T06:59:00.000Z");
    writeClock(file, "0");
    expect(clockReading(file, wall)).toEqual(wall);
  });

  it("is the wall clock while the file does not exist (a reset deletes it)", () => {
    const file = path.join(dir, "reset");
    writeClock(file, "3600000");
    expect(clockReading(file, wall).toISOString()).toBe("2027-05-20T08:00:00.000Z");
    rmSync(file);
    expect(clockReading(file, wall)).toEqual(wall);
  });

  it("refuses a file that does not hold an integer offset, naming it", () => {
    const file = path.join(dir, "broken");
    for (const text of ["", "soon", "1.5", "2027-05-21T08:00:00Z", "99999999999999999999"]) {
      writeClock(file, text);
      expect(() => clockReading(file, wall), text).toThrow(`TEST_CLOCK_FILE ${file} must hold an offset`);
    }
  });

  it("is a setting of its own, unset unless given", () => {
    const base = {
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://localhost/guichet",
      REGISTRATION_CHALLENGE: "off",
    } as const;
    expect(parseEnv(base).TEST_CLOCK_FILE).toBeUndefined();
    expect(parseEnv({ ...base, TEST_CLOCK_FILE: "/tmp/clock" }).TEST_CLOCK_FILE).toBe("/tmp/clock");
    // An instance serving over https is a real one: its clock cannot be moved.
    expect(() => parseEnv({ ...base, APP_URL: "https://tickets.example", TEST_CLOCK_FILE: "/tmp/clock" })).toThrow(
      /TEST_CLOCK_FILE: is for tests only/,
    );
  });
});
