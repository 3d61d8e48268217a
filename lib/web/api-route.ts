import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { liveApiToken, authenticateApiToken } from "@/lib/auth/api-tokens";
import type { Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/roles";
import { routeActor } from "@/lib/auth/route-guard";
import { doorScannerAt, isSomeScanner, scannerAt, type ScannerAccess } from "@/lib/checkin/access";
import type { Scanner } from "@/lib/checkin/scan";
import { db, type Db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { decodeUtf8, EdgeRefusal, edgeRoute, parseJsonText, readBodyBytes, requireJsonType } from "@/lib/http/edge";
import { crossSiteWriteRefusal } from "@/lib/http/same-origin";

// The API's edge on top of `edgeRoute`: who is calling, which edition, the body, and the refusals a
// handler's outcome maps to. The order is the same for every route: a cross-site write (403), the
// body's byte cap (413), who is asking (401), what they sent (415, 400), which edition (404), and
// whether this caller may act on it (403). A stranger learns neither the body's schema nor which
// editions exist.

type Params = Record<string, string | string[] | undefined>;

/**
 * How a route's caller is recognised: `identify` before the body is parsed and the edition looked
 * up (a refusal here is a 401), `authorise` once the edition is known.
 */
export type ApiAuth<C> = {
  identify: (request: Request) => Promise<EdgeRefusal | null>;
  authorise: (request: Request, editionId: string | null) => Promise<C>;
};

const BEARER_CHALLENGE = { "www-authenticate": 'Bearer realm="guichet"' };

/** Scripts with an export token (`Authorization: Bearer gch_…`), valid for every edition or this one. */
export const exportToken: ApiAuth<{ tokenId: string }> = {
  async identify(request) {
    if (await liveApiToken(db(), request.headers.get("authorization"), "EXPORT")) return null;
    const title = "A valid API token is required: Authorization: Bearer gch_…";
    return new EdgeRefusal(401, "unauthorized", { title }, BEARER_CHALLENGE);
  },
  async authorise(request, editionId) {
    const token = await authenticateApiToken(db(), request.headers.get("authorization"), editionId ?? "");
    if (token.ok) return { tokenId: token.tokenId };
    if (token.reason === "other_edition") {
      throw new EdgeRefusal(403, "forbidden", { title: "This token is limited to another edition" });
    }
    throw new EdgeRefusal(401, "unauthorized", { title: "A valid API token is required" }, BEARER_CHALLENGE);
  },
};

const SIGN_IN_OR_TOKEN = "Sign in, or use a check-in device token";

function scannerOrRefusal(access: ScannerAccess): Scanner {
  if (access.ok) return access.scanner;
  switch (access.reason) {
    case "invalid_token":
      throw new EdgeRefusal(401, "unauthorized", { title: "Invalid check-in token" });
    case "token_for_another_edition":
      throw new EdgeRefusal(403, "forbidden", { title: "This token is for another edition" });
    case "not_assigned":
      throw new EdgeRefusal(403, "forbidden", {
        title: "Not assigned to this edition",
        signedInAs: access.signedInAs,
      });
    case "signed_out":
      throw new EdgeRefusal(401, "unauthorized", { title: SIGN_IN_OR_TOKEN });
  }
}

/** The door: a check-in device token for the edition, or a staff session allowed to scan there. */
export const scanner: ApiAuth<Scanner> = {
  async identify(request) {
    if (await isSomeScanner(db(), request.headers.get("authorization"))) return null;
    return new EdgeRefusal(401, "unauthorized", { title: SIGN_IN_OR_TOKEN });
  },
  async authorise(request, editionId) {
    return scannerOrRefusal(await scannerAt(db(), request.headers.get("authorization"), editionId ?? ""));
  },
};

/**
 * The same for the routes that record scans: the scan checks a device token again in its own statement
 * (answered with `scannerRefused`), so the token may come from a few seconds' memory here.
 */
export const scanningDevice: ApiAuth<Scanner> = {
  identify: scanner.identify,
  async authorise(request, editionId) {
    return scannerOrRefusal(await doorScannerAt(db(), request.headers.get("authorization"), editionId ?? ""));
  },
};

/** What a scan refused for its device token is answered, as the edge would have answered it a moment earlier. */
export const scannerRefused = () => new EdgeRefusal(401, "unauthorized", { title: "Invalid check-in token" });

/** The back office's downloads: a session whose role holds the permission. */
export function session(permission: Permission): ApiAuth<Actor> {
  const actorOrRefusal = async () => {
    const access = await routeActor(permission);
    if (access.ok) return access.actor;
    return access.reason === "signed_out"
      ? new EdgeRefusal(401, "unauthorized", { title: "Sign in first" })
      : new EdgeRefusal(403, "forbidden");
  };
  return {
    identify: async () => {
      const found = await actorOrRefusal();
      return found instanceof EdgeRefusal ? found : null;
    },
    authorise: async () => {
      const found = await actorOrRefusal();
      if (found instanceof EdgeRefusal) throw found;
      return found;
    },
  };
}

/** Anyone: the public endpoints. */
export const anyone: ApiAuth<null> = { identify: async () => null, authorise: async () => null };

type BodyOption<B> = {
  maxBytes: number;
  /** Checked by the edge; without it the handler gets the parsed JSON (`unknown`) for the domain to parse. */
  schema?: z.ZodType<B>;
  /** The problem for a body the schema refuses (400, with `issues`). */
  invalid?: { code: string; title: string };
};

export type ApiContext<P, E, C, B> = { request: NextRequest; params: P; db: Db; edition: E; caller: C; body: B };

type ApiOptions<P, E, C, B> = {
  auth: ApiAuth<C>;
  /** For writes a browser may send with a session cookie: refused first when cross-site (lib/http/same-origin.ts). */
  sameOriginWrites?: boolean;
  body?: BodyOption<B>;
  /**
   * The edition the route acts on, looked up by the path's `slug` (or the slug `slugOf` reads from
   * the body); null answers 404 `not_found`, as for an unknown or draft edition.
   */
  edition?: { find: (db: Db, slug: string) => Promise<E | null>; slugOf?: (params: P, body: B) => string };
};

/** Wraps an API route handler in the edge (see the comment at the top of this file). */
export function apiRoute<E = null, C = null, B = unknown, P extends Params = Params>(
  options: ApiOptions<P, E, C, B>,
  handler: (context: ApiContext<P, E, C, B>) => Promise<Response>,
) {
  return edgeRoute<P>(async (request, params) => {
    const crossSite = options.sameOriginWrites ? crossSiteWriteRefusal(request, env().APP_URL) : null;
    if (crossSite) throw crossSite;
    const bytes = options.body ? await readBodyBytes(request, options.body.maxBytes) : null;
    const stranger = await options.auth.identify(request);
    if (stranger) throw stranger;
    const body = (options.body && bytes ? parseBody(request, bytes, options.body) : undefined) as B;
    let edition = null as E;
    let editionId: string | null = null;
    if (options.edition) {
      const slug = options.edition.slugOf ? options.edition.slugOf(params, body) : String(params.slug ?? "");
      const found = await options.edition.find(db(), slug);
      if (!found) throw new EdgeRefusal(404, "not_found", { title: "No such edition" });
      edition = found;
      // An edition row has an id; a public offer (no caller to authorise) may not, and then none is checked.
      editionId = (found as { id?: string }).id ?? null;
    }
    const caller = await options.auth.authorise(request, editionId);
    return handler({ request, params, db: db(), edition, caller, body });
  });
}

function parseBody<B>(request: Request, bytes: Uint8Array, option: BodyOption<B>): B | unknown {
  requireJsonType(request);
  const json = parseJsonText(decodeUtf8(bytes));
  if (!option.schema) return json;
  const parsed = option.schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new EdgeRefusal(400, option.invalid?.code ?? "invalid_body", { title: option.invalid?.title, issues });
}

/** A domain refusal as the problem its route answers: the status the route gives its reason, details beside. */
export function refusalOf<R extends string>(
  statusFor: Record<R, number>,
  reason: R,
  details: Record<string, unknown> = {},
): EdgeRefusal {
  return new EdgeRefusal(statusFor[reason], reason, details);
}
