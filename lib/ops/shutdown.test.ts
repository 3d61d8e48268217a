import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { shutDown, watchForServer, type ShutdownDeps } from "./shutdown";

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A promise and the function that settles it. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}

/** A real HTTP server: `/slow` answers once `answerSlow()` is called, anything else at once. */
async function startServer() {
  const slow = gate();
  const slowArrived = gate();
  const server = createServer((req, res) => {
    if (req.url === "/slow") {
      slowArrived.open();
      void slow.opened.then(() => res.end("slow done"));
    } else res.end("ok");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, port, slowArrived: slowArrived.opened, answerSlow: () => slow.open() };
}

/** A GET over a kept-alive connection (the connection stays open, idle, after the answer). */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path, headers: { connection: "keep-alive" } }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Deps whose every step is recorded in `done`, and whose exit resolves `exited`. */
function recordingDeps(overrides: Partial<ShutdownDeps>) {
  const done: string[] = [];
  const lines: { step: string; level: string }[] = [];
  const exited = gate<number>();
  const deps: ShutdownDeps = {
    server: () => undefined,
    startDraining: () => done.push("draining"),
    stopSweeps: async () => void done.push("sweeps"),
    drainMs: 20,
    stopEmail: async () => void done.push("email"),
    disconnectDb: async () => void done.push("db"),
    timeoutMs: 10_000,
    exit: (code) => exited.open(code),
    log: {
      info: (fields) => lines.push({ step: (fields as { shutdown: string }).shutdown, level: "info" }),
      error: (fields) => lines.push({ step: (fields as { shutdown: string }).shutdown, level: "error" }),
    },
    ...overrides,
  };
  return { deps, done, lines, exited: exited.opened };
}

describe("shutDown", () => {
  it("drains, answers the requests in flight, ends sweeps, email worker, database, exits 0", async () => {
    const { port, slowArrived, answerSlow } = await startServer();
    const server = watchForServer();
    // A request before the signal leaves an idle kept-alive connection, which must not hold the close up.
    expect(await get(port, "/")).toEqual({ status: 200, body: "ok" });
    expect(server()).toBeDefined();
    const inFlight = get(port, "/slow");
    await slowArrived;

    const sweepsInFlight = gate();
    const { deps, done, lines, exited } = recordingDeps({
      server,
      stopSweeps: async () => {
        done.push("sweeps stopping");
        await sweepsInFlight.opened;
        done.push("sweeps ended");
      },
    });
    const shutdown = shutDown(deps);
    await until(() => lines.some((line) => line.step === "drained"));
    // New connections are refused from the close on, while the request in flight still gets its answer.
    await until(
      async () => (await get(port, "/").catch((error: NodeJS.ErrnoException) => error.code)) === "ECONNREFUSED",
    );
    expect(done).toEqual(["draining", "sweeps stopping"]);
    answerSlow();
    expect(await inFlight).toEqual({ status: 200, body: "slow done" });
    await until(() => lines.some((line) => line.step === "http-closed"));
    expect(done).toEqual(["draining", "sweeps stopping"]);
    sweepsInFlight.open();

    expect(await exited).toBe(0);
    await shutdown;
    expect(done).toEqual(["draining", "sweeps stopping", "sweeps ended", "email", "db"]);
    expect(lines).toEqual(
      [
        "draining",
        "sweeps-stopped",
        "drained",
        "http-closed",
        "sweeps-ended",
        "email-stopped",
        "db-disconnected",
        "exit",
      ].map((step) => ({ step, level: "info" })),
    );
  });

  it("exits 1 once SHUTDOWN_TIMEOUT_SECONDS have passed, whatever is left", async () => {
    const { deps, done, lines, exited } = recordingDeps({
      timeoutMs: 200,
      // The email worker never lets go.
      stopEmail: () => new Promise(() => undefined),
    });
    void shutDown(deps);
    expect(await exited).toBe(1);
    expect(done).toEqual(["draining", "sweeps"]);
    expect(lines.at(-1)).toEqual({ step: "timeout", level: "error" });
    expect(lines.map((line) => line.step)).not.toContain("exit");
  });

  it("exits 1 when a step fails", async () => {
    const { deps, lines, exited } = recordingDeps({
      disconnectDb: async () => {
        throw new Error("connection already closed");
      },
    });
    await shutDown(deps);
    expect(await exited).toBe(1);
    expect(lines.at(-1)).toEqual({ step: "failed", level: "error" });
  });
});

/** Resolves once `holds()` does, asking every 10 ms. */
async function until(holds: () => boolean | Promise<boolean>) {
  while (!(await holds())) await new Promise((resolve) => setTimeout(resolve, 10));
}
