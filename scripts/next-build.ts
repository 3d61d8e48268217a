import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = [
  "app",
  "components",
  "lib",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "prisma/schema.prisma",
];
const IGNORED = new Set(["node_modules", "generated", "testing"]);

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry)
    .filter((name) => !IGNORED.has(name) && !name.endsWith(".test.ts"))
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** Builds the app unless .next already holds a build newer than every source file. */
export function buildIfStale(log: (line: string) => void = console.log): void {
  const buildId = path.join(".next", "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...SOURCES.map(newestMtime))) return;
  log("Building the app (next build)…");
  const result = spawnSync(process.execPath, [nextBin(), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export function nextBin(): string {
  return path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
}

/**
 * V8's heap cap for the server (`next start`; not the build, which needs more), unless NODE_OPTIONS sets one. With
 * none, V8 sizes it from the host's memory (about 4 GB here) and lets short-lived garbage reach 130 MB or more
 * before its first full collection: a 100,000-row export, which keeps one batch of rows at a time (29 MB of heap in
 * use after a collection, at any size), grew the server by 128 MB; with 512 MB, by 15 to 50 (bench:export).
 */
export function serverNodeArgs(env: NodeJS.ProcessEnv): string[] {
  return /--max-old-space-size/.test(env.NODE_OPTIONS ?? "") ? [] : ["--max-old-space-size=512"];
}

/** Starts `next start` (or `next dev`) as a child that shares this terminal, on HOST (this machine only by default). */
export function spawnNext(mode: "start" | "dev", port: number, env: NodeJS.ProcessEnv) {
  const node = mode === "start" ? serverNodeArgs(env) : [];
  const args = [...node, nextBin(), mode, "--port", String(port), "--hostname", env.HOST || "127.0.0.1"];
  return spawn(process.execPath, args, {
    stdio: "inherit",
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}
