// Open loop: arrivals at fixed times decided before the run, whatever the answers. Latency runs from
// each request's scheduled time, so a server (or client) that falls behind is charged for the queue it
// builds instead of quietly slowing the arrivals (no coordinated omission).
import { setTimeout as sleep } from "node:timers/promises";
import { settle } from "./closed-loop";
import { newSample, type Sample, type Task } from "./stats";

export async function runOpenLoop(count: number, perSecond: number, task: Task): Promise<Sample> {
  const sample = newSample();
  const start = performance.now();
  const answered: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const early = due - performance.now();
    if (early > 0) await sleep(early);
    sample.lateDispatch(performance.now() - due);
    answered.push(settle(task(i, 0)).then((outcome) => sample.record(outcome, performance.now() - due)));
  }
  await Promise.all(answered);
  return sample.finish();
}
