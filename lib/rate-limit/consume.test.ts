import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { consumeRateLimit } from "./consume";

const { db, newClient } = await useTestDatabase();

describe("consumeRateLimit", () => {
  it("allows `limit` attempts per window, then again once the window has passed", async () => {
    const start = new Date("2027-01-01T10:00:00Z");
    const at = (seconds: number) => ({ limit: 3, windowSeconds: 60, now: new Date(start.getTime() + seconds * 1000) });
    const results = [];
    for (const second of [0, 10, 20, 30, 59]) results.push(await consumeRateLimit(db, "k1", at(second)));
    expect(results).toEqual([true, true, true, false, false]);
    expect(await consumeRateLimit(db, "k1", at(61))).toBe(true);
    expect(await consumeRateLimit(db, "other", at(30))).toBe(true);
  });

  it("counts concurrent attempts from several instances exactly", async () => {
    const instances = [newClient(5), newClient(5)];
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        consumeRateLimit(instances[i % 2], "shared", { limit: 10, windowSeconds: 3600, now }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
  });
});
