// A bounded keep-alive HTTP client. A load generator that opens a connection per request measures
// its own connects and the server's listen backlog, not the app (the performance review capped even a
// route with no database at ~370 req/s that way on this machine).
import http from "node:http";

export const BENCH_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 30_000);

/** An HTTP status, or what went wrong on the client's side ("timeout", "client ECONNRESET"…). */
export type Outcome = number | string;

export type HttpClient = {
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ outcome: Outcome; text: string }>;
  close(): void;
};

export function createHttpClient(baseUrl: string, connections = BENCH_CONNECTIONS): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  return {
    post(path, body, headers = {}) {
      const payload = JSON.stringify(body);
      return new Promise((resolve) => {
        // The deadline runs from the call, so time spent waiting for a free connection counts too.
        const timer = setTimeout(() => request.destroy(new Error("timeout")), TIMEOUT_MS);
        const request = http.request(
          {
            agent,
            hostname,
            port,
            path,
            method: "POST",
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              clearTimeout(timer);
              resolve({ outcome: response.statusCode ?? "no status", text: Buffer.concat(chunks).toString("utf8") });
            });
            response.on("error", fail);
          },
        );
        function fail(error: NodeJS.ErrnoException) {
          clearTimeout(timer);
          resolve({
            outcome: error.message === "timeout" ? "timeout" : `client ${error.code ?? error.message}`,
            text: "",
          });
        }
        request.on("error", fail);
        request.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
