// What a run measured: latencies, the mix of answers, and the CPU each process tree spent on it.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { Outcome } from "./http-client";

/** One request: `i` is its index in the run, `worker` the closed-loop worker (a device, a connection) sending it. */
export type Task = (i: number, worker: number) => Promise<Outcome>;

export type Sample = {
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: number[];
  outcomes: Map<Outcome, number>;
  /** How far behind schedule the open loop sent its worst request: large means the client itself was saturated. */
  maxLateDispatchMs: number;
};

export function newSample() {
  const started = performance.now();
  const latencies: number[] = [];
  const outcomes = new Map<Outcome, number>();
  let maxLateDispatchMs = 0;
  return {
    record(outcome: Outcome, ms: number) {
      latencies.push(ms);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    },
    lateDispatch(ms: number) {
      maxLateDispatchMs = Math.max(maxLateDispatchMs, ms);
    },
    finish(): Sample {
      latencies.sort((a, b) => a - b);
      return { seconds: (performance.now() - started) / 1000, latencies, outcomes, maxLateDispatchMs };
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const rate = (sample: Sample) => sample.latencies.length / sample.seconds;

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

export function describeLatency(sample: Sample): string {
  const { latencies } = sample;
  return (
    `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, ` +
    `p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1] ?? NaN)}`
  );
}

export function describeOutcomes(sample: Sample): string {
  return [...sample.outcomes]
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([outcome, n]) => `${n}×${outcome}`)
    .join(" ");
}

/** `median (min–max)` of the reps of one measurement. */
export function spread(values: number[], digits = 0): string {
  const show = (value: number) => value.toFixed(digits);
  if (values.length === 1) return show(values[0]);
  return `${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/**
 * CPU seconds of a process and all its descendants. Each live process counts its own time plus that
 * of its children already reaped (cutime, cstime): Postgres backends that came and went are in the
 * postmaster's, and no live process is in anyone's.
 */
function treeCpuSeconds(rootPid: number): number {
  const processes: { pid: number; ppid: number; ticks: number }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // The command name, in parentheses, may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    processes.push({ pid: Number(entry), ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime });
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    const before = inTree.size;
    for (const { pid, ppid } of processes) if (inTree.has(ppid)) inTree.add(pid);
    grew = inTree.size > before;
  }
  return processes.filter(({ pid }) => inTree.has(pid)).reduce((sum, { ticks }) => sum + ticks, 0) / TICKS_PER_SECOND;
}

export type CpuRoles = { next: number[]; postgres: number };
export type CpuUse = { next: number; postgres: number; client: number };

/** Starts measuring the CPU of the Next server(s), Postgres and this process (the client); call the result to stop. */
export function measureCpu(roles: CpuRoles): () => CpuUse {
  const read = () => ({
    next: roles.next.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0),
    postgres: treeCpuSeconds(roles.postgres),
    client: Object.values(process.cpuUsage()).reduce((sum, micros) => sum + micros, 0) / 1e6,
  });
  const before = read();
  return () => {
    const after = read();
    return {
      next: after.next - before.next,
      postgres: after.postgres - before.postgres,
      client: after.client - before.client,
    };
  };
}

/** CPU per request, in milliseconds, for each role. */
export function describeCpu(cpu: CpuUse, requests: number, roles: (keyof CpuUse)[] = ["next", "postgres", "client"]) {
  const perRequest = (seconds: number) => ((seconds * 1000) / requests).toFixed(2);
  return `CPU/req ${roles.map((role) => `${role} ${perRequest(cpu[role])}`).join(", ")} ms`;
}
