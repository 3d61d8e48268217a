import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

let recording = false;

/**
 * Appends the TCP peer's address to X-Forwarded-For on every request this process serves, before
 * Next.js sees it. Next only fills the header when the client sent none, so without this a client
 * talking to the app directly could choose its own address; with it, the last entry is always the
 * socket's, and lib/http/client-address.ts reads the client from the right. Node publishes
 * `http.server.request.start` synchronously, before the request reaches any handler.
 */
export function recordPeerAddresses() {
  if (recording) return;
  recording = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const peer = socket.remoteAddress;
    if (!peer) return;
    const forwarded = request.headers["x-forwarded-for"];
    request.headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${peer}` : peer;
  });
}
