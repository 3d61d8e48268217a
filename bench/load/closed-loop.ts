// Closed loop: N workers, each sending its next request when the previous one is answered. It finds
// the throughput the system sustains at that concurrency; latencies are those of a saturated system.
import { newSample, type Sample, type Task } from "./stats";

export async function runClosedLoop(count: number, workers: number, task: Task): Promise<Sample> {
  const sample = newSample();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, count) }, async (_, worker) => {
      while (next < count) {
        const i = next++;
        const sent = performance.now();
        sample.record(await settle(task(i, worker)), performance.now() - sent);
      }
    }),
  );
  return sample.finish();
}

/** A task that throws is an outcome to count, never a reason to abort the run. */
export function settle(outcome: Promise<string | number>): Promise<string | number> {
  return outcome.catch((error: Error) => `client ${(error as NodeJS.ErrnoException).code ?? error.message}`);
}
