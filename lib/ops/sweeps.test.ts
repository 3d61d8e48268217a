import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { metrics } from "@/lib/metrics/registry";
import { FIRST_RUN_MS, startSweeps, stopSweeps, SWEEPS, type Sweep, type SweepSettings } from "./sweeps";

const { db, url } = await useTestDatabase();
// The table's sweeps read the clock's settings.
process.env.DATABASE_URL = url;

const SETTINGS: SweepSettings = {
  HOLD_SWEEP_SECONDS: 1,
  SLOW_SWEEP_SECONDS: 1,
  BLOCK_RELEASE_SECONDS: 1,
  WAITLIST_SWEEP_SECONDS: 1,
  MESSAGE_SWEEP_SECONDS: 1,
};
const deps = { db, stripe: null, settings: SETTINGS, instance: "test-host:3000" };

// Only the sweeps' intervals are driven by hand: Postgres's client keeps its own real timers.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
});
afterEach(async () => {
  await stopSweeps();
  vi.useRealTimers();
  await db.$executeRaw`DELETE FROM "SweepRun"`;
});

async function sweepRun(name: string) {
  const [row] = await db.$queryRaw<
    { instance: string; started: Date; finished: Date | null; ok: Date | null; error: string | null }[]
  >`SELECT instance, "lastStartedAt" AS started, "lastFinishedAt" AS finished, "lastOkAt" AS ok, "lastError" AS error
      FROM "SweepRun" WHERE name = ${name}`;
  return row;
}

/** Resolves once `holds()` does, asking every 10 ms (vi.waitFor would move the faked intervals meanwhile). */
async function until(holds: () => boolean | Promise<boolean>) {
  while (!(await holds())) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A sweep whose runs each wait for `release()`. */
function gatedSweep(name: string, options: Pick<Sweep, "unrecorded"> = {}) {
  let runs = 0;
  let open: () => void = () => undefined;
  const sweep: Sweep = {
    ...options,
    name,
    everyMs: () => 1000,
    run: () => {
      runs += 1;
      return new Promise<void>((resolve) => (open = resolve));
    },
  };
  return { sweep, runs: () => runs, release: () => open() };
}

const durations = async (sweep: string, outcome: string) =>
  (await metrics().sweepDuration.get()).values.find(
    (value) =>
      value.metricName === "guichet_sweep_duration_seconds_count" &&
      value.labels.sweep === sweep &&
      value.labels.outcome === outcome,
  )?.value ?? 0;

describe("startSweeps", () => {
  it("records each run in SweepRun: its success, or its error without addresses, cut to 500 characters", async () => {
    let failing = "bad";
    const outcome = (name: string) => async () => {
      if (failing === name) throw new Error(`could not reach ada.lovelace@example.org: ${"x ".repeat(300)}`);
    };
    const sweeps: Sweep[] = ["good", "bad"].map((name) => ({ name, everyMs: () => 1000, run: outcome(name) }));

    startSweeps(deps, sweeps);
    vi.advanceTimersByTime(1000);
    await stopSweeps();
    const good = await sweepRun("good");
    expect(good).toMatchObject({ instance: "test-host:3000", error: null });
    expect(good.ok).toEqual(good.finished);
    expect(good.finished!.getTime()).toBeGreaterThanOrEqual(good.started.getTime());
    const bad = await sweepRun("bad");
    expect(bad).toMatchObject({ ok: null, finished: expect.any(Date) });
    expect(bad.error).toHaveLength(500);
    expect(bad.error).toMatch(/^could not reach <address>: (x )+x?$/);
    expect(await durations("bad", "failed")).toBeGreaterThanOrEqual(1);

    // The next runs: a success clears the error, a failure keeps the time of the last success.
    failing = "good";
    const goodOks = await durations("good", "ok");
    startSweeps(deps, sweeps);
    vi.advanceTimersByTime(1000);
    await stopSweeps();
    expect(await sweepRun("bad")).toMatchObject({ error: null, ok: expect.any(Date) });
    expect(await sweepRun("good")).toMatchObject({ ok: good.ok, error: expect.stringMatching(/^could not reach/) });
    expect(await durations("good", "ok")).toBe(goodOks);
    expect(await durations("good", "failed")).toBeGreaterThanOrEqual(1);
  });

  it("does not start a sweep again while its last run goes on", async () => {
    // Unrecorded: its run starts within the interval's callback, so the count below is the guard's doing.
    const slow = gatedSweep("slow", { unrecorded: true });
    startSweeps(deps, [slow.sweep]);
    vi.advanceTimersByTime(1000);
    expect(slow.runs()).toBe(1);
    vi.advanceTimersByTime(3000);
    expect(slow.runs()).toBe(1);

    slow.release();
    await until(() => {
      vi.advanceTimersByTime(1000);
      return slow.runs() === 2;
    });
    slow.release();
  });

  it("runs a slow sweep once soon after start, then on its own interval", async () => {
    let runs = 0;
    const daily: Sweep = { name: "daily", everyMs: () => 86_400_000, unrecorded: true, run: async () => void runs++ };
    startSweeps(deps, [daily]);
    vi.advanceTimersByTime(FIRST_RUN_MS - 1);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    await until(async () => (await durations("daily", "ok")) >= 1);
    vi.advanceTimersByTime(86_400_000 - FIRST_RUN_MS - 1);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(2);
  });

  it("stopSweeps waits for the runs in flight, and no run starts after it", async () => {
    const slow = gatedSweep("slow");
    startSweeps(deps, [slow.sweep]);
    vi.advanceTimersByTime(1000);
    await until(() => slow.runs() === 1);

    let stopped = false;
    const stopping = stopSweeps().then(() => (stopped = true));
    expect(vi.getTimerCount()).toBe(0);
    // A statement's round trip: time for stopSweeps to have resolved, had it not waited.
    expect(await sweepRun("slow")).toMatchObject({ finished: null });
    expect(stopped).toBe(false);
    slow.release();
    await stopping;
    expect(await sweepRun("slow")).toMatchObject({ ok: expect.any(Date), error: null });
  });

  it("runs every sweep of the table on a real database, each recorded but the queue's tick", async () => {
    startSweeps(deps, SWEEPS);
    // Past the longest interval (retention's 6 hours): every sweep has started once; a run still going when its next
    // is due is not doubled, so the queue's 250 ms tick runs a few times only.
    vi.advanceTimersByTime(Math.max(...SWEEPS.map((sweep) => sweep.everyMs(SETTINGS))));
    await stopSweeps();
    const runs = await db.$queryRaw<{ name: string; error: string | null }[]>`
      SELECT name, "lastError" AS error FROM "SweepRun" WHERE "lastOkAt" IS NOT NULL ORDER BY name`;
    // Refunds need Stripe, which these deps leave out.
    const recorded = SWEEPS.filter((sweep) => !sweep.unrecorded && !sweep.needsStripe).map((sweep) => sweep.name);
    expect(runs).toEqual(recorded.toSorted().map((name) => ({ name, error: null })));
    expect(await durations("queue-tick", "ok")).toBeGreaterThanOrEqual(1);
  });
});
