// The one error format of the API (docs/api.md, "Errors"): RFC 9457 problem details with a stable
// snake_case `code`. `error` repeats the code because the API answered `{ "error": code }` before
// problem details, and clients written then read it.

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

// The title a problem gets when its refusal names none: the status's reason phrase.
const REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** A problem's `type`: a URI per code, stable across releases, that names where it is documented. */
export const problemType = (code: string) => `urn:guichet:problem:${code}`;

type ProblemMembers = { type: string; title: string; status: number; code: string; error: string };
export type ProblemBody = ProblemMembers & Record<string, unknown>;

/** The body of a problem; `details.title` replaces the reason phrase, other details are members beside it. */
export function problemBody(status: number, code: string, details: Record<string, unknown> = {}): ProblemBody {
  const { title, ...members } = details;
  return {
    type: problemType(code),
    title: typeof title === "string" ? title : (REASON[status] ?? "Error"),
    status,
    code,
    error: code,
    ...members,
  };
}

/** A problem-details response, never cached. */
export function problem(
  status: number,
  code: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problemBody(status, code, details)), {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}
