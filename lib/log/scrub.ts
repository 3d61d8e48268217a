// What a log line must never hold, found by its shape wherever it sits (an error's message, a stack, a library's
// text), after the logger's `redact` has blanked the fields known by name. Order matters: a ticket code, a Stripe
// secret and a URL's credentials are runs of token characters too, and are named for what they are first.
const SCRUBS: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // user:password@ in a connection string (a database or SMTP URL in a driver's error).
  [/([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'\\]+@/gi, "$1<secret>@"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "<address>"],
  [/\bBearer\s+[^\s"'\\,;]+/g, "<secret>"],
  [/\b(?:whsec|sk|rk)_[A-Za-z0-9_]+/g, "<secret>"],
  [/G1[A-Za-z0-9_-]{120,}/g, "<code>"],
  // Access tokens, pay tokens, signed links' payloads, session ids: any long base64url run but a UUID, which names
  // a row (an order, an outbox email, a request) and is what lets a line be followed, and a setting's name in
  // capitals (NEXT_SERVER_ACTIONS_ENCRYPTION_KEY in a start-up error), which random characters never are.
  [/[A-Za-z0-9_-]{32,}/g, (run) => (UUID.test(run) || SETTING_NAME.test(run) ? run : "<token>")],
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTING_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** A log line with every email address, ticket code, token and secret in it replaced by what it was. */
export function scrubLogLine(line: string): string {
  return SCRUBS.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement as (match: string) => string),
    line,
  );
}
