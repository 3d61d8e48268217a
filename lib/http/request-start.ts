import { randomUUID } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { env } from "@/lib/env";
import { enterRequest } from "@/lib/log/context";
import { log } from "@/lib/log/logger";
import { metrics } from "@/lib/metrics/registry";
import { routeLabel } from "@/lib/metrics/route-label";

type Message = { request: IncomingMessage; response: ServerResponse; socket: Socket };

const settings = { trustedProxyHops: 0 };
let recording = false;
const started = new WeakMap<IncomingMessage, { requestId: string; at: bigint }>();

// What a proxy's id may look like (Caddy's and nginx's are UUIDs and hex): anything else could forge log lines.
const FORWARDED_ID = /^[A-Za-z0-9._-]{8,64}$/;
// Probes and scrapes come every few seconds from the balancer and Prometheus: not worth a line each at `info`.
const QUIET_ROUTES = new Set(["/_next", "/api/health", "/api/ready", "/api/metrics"]);

/**
 * Hooks every request this process serves, before Next.js sees it and once it is answered. At the start: appends
 * the TCP peer's address to X-Forwarded-For (Next only fills the header when the client sent none, so without this
 * a client talking to the app directly could choose its own address; with it the last entry is always the socket's,
 * and lib/http/client-address.ts reads the client from the right), gives the request its id (a trusted proxy's
 * X-Request-Id, else a new UUID) on the request, the response and the log context of the handler Node calls next.
 * At the end: the access line and the latency histogram. Node publishes both messages synchronously.
 */
export function recordRequestStarts({ trustedProxyHops = env().TRUSTED_PROXY_HOPS } = {}) {
  settings.trustedProxyHops = trustedProxyHops;
  if (recording) return;
  recording = true;
  subscribe("http.server.request.start", (message) => {
    const { request, response, socket } = message as Message;
    const peer = socket.remoteAddress;
    if (peer) {
      const forwarded = request.headers["x-forwarded-for"];
      request.headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${peer}` : peer;
    }
    const requestId = requestIdOf(request.headers["x-request-id"]);
    request.headers["x-request-id"] = requestId;
    response.setHeader("X-Request-Id", requestId);
    started.set(request, { requestId, at: process.hrtime.bigint() });
    enterRequest(requestId);
  });
  subscribe("http.server.response.finish", (message) => {
    const { request, response } = message as Message;
    const start = started.get(request);
    if (!start) return;
    const seconds = Number(process.hrtime.bigint() - start.at) / 1e9;
    const route = routeLabel(pathOf(request.url));
    const method = request.method ?? "GET";
    const status = response.statusCode;
    metrics().httpDuration.observe({ method, route, status: `${Math.floor(status / 100)}xx` }, seconds);
    const line = { reqId: start.requestId, method, route, status, ms: Math.round(seconds * 10_000) / 10 };
    if (QUIET_ROUTES.has(route)) log.debug(line, "request");
    else log.info(line, "request");
  });
}

function requestIdOf(header: string | string[] | undefined): string {
  const forwarded = typeof header === "string" ? header : undefined;
  return settings.trustedProxyHops > 0 && forwarded && FORWARDED_ID.test(forwarded) ? forwarded : randomUUID();
}

// The request line's path without its query (which can hold a token too).
function pathOf(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0];
  return path.startsWith("/") ? path : "/";
}
