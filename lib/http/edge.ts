import type { NextRequest } from "next/server";
import { isSafeText } from "@/lib/forms/fields";
import { problem } from "./problem";
import { log } from "@/lib/log/logger";
import { routeLabel } from "@/lib/metrics/route-label";

// The one shape of every route handler's edge: path and query text checked before it can reach
// Postgres, bodies read under a byte cap while they stream in, one error format (problem details,
// lib/http/problem.ts), and unexpected failures logged and answered with a generic 500.

/** A refusal a handler (or the edge itself) answers with: a 4xx, a stable code and the problem's other members. */
export class EdgeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

/** Whether every string in a parsed JSON value, keys included, is safe text. */
export function isSafeJson(value: unknown): boolean {
  // A loop, not recursion: 64 KiB of "[" nests 65,536 deep, enough to overflow the stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string" && !isSafeText(item)) return false;
    if (Array.isArray(item)) pending.push(...item);
    else if (item && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) {
        if (!isSafeText(key)) return false;
        pending.push(child);
      }
    }
  }
  return true;
}

function rawPartsDecode(url: URL): boolean {
  const parts = [
    ...url.pathname.split("/"),
    ...url.search
      .slice(1)
      .split("&")
      .flatMap((pair) => pair.split("=")),
  ];
  try {
    for (const part of parts) {
      if (!isSafeText(decodeURIComponent(part.replaceAll("+", " ")))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Refuses a request whose path or query holds NUL, invalid UTF-8 or a malformed %-escape. */
export function checkRequestText(request: Request, params: Record<string, string | string[] | undefined>): void {
  const values = Object.values(params).flatMap((value) => (value === undefined ? [] : [value].flat()));
  if (!values.every(isSafeText) || !rawPartsDecode(new URL(request.url))) {
    throw new EdgeRefusal(400, "invalid_characters");
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * The body's bytes, refused with 413 as soon as they pass `maxBytes`: a declared Content-Length
 * over the cap is refused before reading, and an undeclared (chunked) body is counted as it
 * streams, so a huge upload never sits in memory.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new EdgeRefusal(413, "payload_too_large", { limitBytes: maxBytes });
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new EdgeRefusal(413, "payload_too_large", { limitBytes: maxBytes });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The body as UTF-8 text (invalid UTF-8 → 400), under the cap. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  return decodeUtf8(await readBodyBytes(request, maxBytes));
}

/** Bytes as UTF-8 text; invalid UTF-8 → 400. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new EdgeRefusal(400, "invalid_encoding");
  }
}

/**
 * The body as JSON: application/json only (415 otherwise, which also keeps a cross-site form
 * from posting it), under the cap (413), well-formed (400) and with safe strings only (400).
 */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
  requireJsonType(request);
  return parseJsonText(await readBodyText(request, maxBytes));
}

export function requireJsonType(request: Request): void {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    throw new EdgeRefusal(415, "unsupported_media_type");
  }
}

/** Text already read under a cap, as JSON: well-formed (400) and with safe strings only (400). */
export function parseJsonText(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EdgeRefusal(400, "invalid_json");
  }
  if (!isSafeJson(value)) throw new EdgeRefusal(400, "invalid_characters");
  return value;
}

type Params = Record<string, string | string[] | undefined>;

/**
 * Wraps a route handler: checks the path's parameters and query text, turns an EdgeRefusal into
 * its problem, and any other failure into a logged 500 that tells the client nothing.
 */
export function edgeRoute<P extends Params = Record<string, never>>(
  handler: (request: NextRequest, params: P) => Promise<Response>,
) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      // Routes without dynamic segments may be called without a context.
      const params = ((await context?.params) ?? {}) as P;
      checkRequestText(request, params);
      return await handler(request, params);
    } catch (error) {
      if (error instanceof EdgeRefusal) return problem(error.status, error.code, error.details, error.headers);
      // The route's pattern, not the path: it may hold a token.
      const route = routeLabel(new URL(request.url).pathname);
      log.error({ method: request.method, route, err: error }, "route failed");
      return problem(500, "internal");
    }
  };
}
