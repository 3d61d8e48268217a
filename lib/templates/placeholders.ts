import { formatDateRange, formatDateTime, formatMoney } from "@/lib/i18n/format";
import { absoluteUrl, editionPath, orderPath, ticketPath, waitingListPath } from "@/lib/http/paths";
import { linkTargets } from "./markdown";
import { log } from "@/lib/log/logger";

type Locale = "fr" | "en";

/**
 * What a placeholder may read, by what it needs. The edition part is always there; the others only for the kinds
 * whose set allows the placeholders that read them (allowedPlaceholders), so a value never reads a part its kind
 * lacks. URLs are absolute and made by the app.
 */
export type PlaceholderContext = {
  appUrl: string;
  organiserName: string;
  edition: {
    slug: string;
    nameFr: string;
    nameEn: string;
    startsAt: Date;
    endsAt: Date;
    timeZone: string;
    venueName: string;
    venueAddress: string;
    mapUrl: string | null;
    scheduleUrl: string | null;
  };
  recipient?: { firstName: string; lastName: string | null };
  ticket?: { url: string; typeNameFr: string; typeNameEn: string };
  order?: { url: string; reference: string; unnamedCount?: number; namingDeadline?: Date };
  entry?: { url: string; position?: number };
  offer?: { seats: number; deadline: Date; url: string };
  refund?: { amountCents: number; currency: string };
  certificate?: { url: string };
  voucher?: { code: string; url: string };
};

type Needs = Exclude<keyof PlaceholderContext, "appUrl" | "organiserName">;

export type Placeholder = {
  name: string;
  needs: Needs;
  /** A url value goes into Markdown as it is (it may be a link's target); a text value is escaped. */
  type: "text" | "url";
  value(context: PlaceholderContext, locale: Locale): string;
};

// The OpenStreetMap search the confirmation builds when the organisers give no map link.
const mapSearch = (edition: PlaceholderContext["edition"]) =>
  `https://www.openstreetmap.org/search?query=${encodeURIComponent(`${edition.venueName}, ${edition.venueAddress}`)}`;
const fullName = (recipient: PlaceholderContext["recipient"]) =>
  [recipient?.firstName, recipient?.lastName].filter(Boolean).join(" ");
const at = (date: Date | undefined, context: PlaceholderContext, locale: Locale) =>
  date ? formatDateTime(date, context.edition.timeZone, locale) : "";

const text = (name: string, needs: Needs, value: Placeholder["value"]): Placeholder => ({
  name,
  needs,
  type: "text",
  value,
});
const url = (name: string, needs: Needs, value: Placeholder["value"]): Placeholder => ({
  name,
  needs,
  type: "url",
  value,
});

/** Every placeholder an organiser may write, once. */
export const PLACEHOLDERS: readonly Placeholder[] = [
  text("edition_name", "edition", (c, l) => (l === "fr" ? c.edition.nameFr : c.edition.nameEn)),
  text("edition_dates", "edition", (c, l) =>
    formatDateRange(c.edition.startsAt, c.edition.endsAt, c.edition.timeZone, l),
  ),
  text("venue_name", "edition", (c) => c.edition.venueName),
  text("venue_address", "edition", (c) => c.edition.venueAddress),
  url("map_url", "edition", (c) => c.edition.mapUrl ?? mapSearch(c.edition)),
  url("schedule_url", "edition", (c) => c.edition.scheduleUrl ?? ""),
  url("edition_url", "edition", (c, l) => absoluteUrl(c.appUrl, editionPath(l, c.edition.slug))),
  text("organiser_name", "edition", (c) => c.organiserName),
  text("first_name", "recipient", (c) => c.recipient?.firstName ?? ""),
  text("full_name", "recipient", (c) => fullName(c.recipient)),
  url("ticket_url", "ticket", (c) => c.ticket?.url ?? ""),
  text("ticket_type", "ticket", (c, l) => (l === "fr" ? c.ticket?.typeNameFr : c.ticket?.typeNameEn) ?? ""),
  url("order_url", "order", (c) => c.order?.url ?? ""),
  text("order_reference", "order", (c) => c.order?.reference ?? ""),
  text("unnamed_count", "order", (c) => String(c.order?.unnamedCount ?? "")),
  text("naming_deadline", "order", (c, l) => at(c.order?.namingDeadline, c, l)),
  text("refund_amount", "refund", (c, l) => (c.refund ? formatMoney(c.refund.amountCents, c.refund.currency, l) : "")),
  url("certificate_url", "certificate", (c) => c.certificate?.url ?? ""),
  text("code", "voucher", (c) => c.voucher?.code ?? ""),
  url("code_url", "voucher", (c) => c.voucher?.url ?? ""),
  url("waiting_list_url", "entry", (c) => c.entry?.url ?? ""),
  text("position", "entry", (c) => String(c.entry?.position ?? "")),
  text("offer_seats", "offer", (c) => String(c.offer?.seats ?? "")),
  text("offer_deadline", "offer", (c, l) => at(c.offer?.deadline, c, l)),
  url("offer_url", "offer", (c) => c.offer?.url ?? ""),
];
const BY_NAME = new Map(PLACEHOLDERS.map((placeholder) => [placeholder.name, placeholder]));

/** The app's emails whose subject and message organisers may rewrite per edition and language. */
export const TEMPLATE_KINDS = [
  "order_confirmation",
  "ticket_issued",
  "order_cancelled",
  "order_refunded",
  "unnamed_reminder",
  "practical_info",
  "waitlist_joined",
  "waitlist_offer",
  "waitlist_offer_lapsed",
  "speaker_pass",
  "certificate_ready",
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export type MessageAudienceKey = "message:ATTENDEES" | "message:BUYERS" | "message:WAITING_LIST";
/** What a text is written for: an editable email, or an organiser's message to one audience. */
export type TemplateKey = TemplateKind | MessageAudienceKey;

const EVERY_KIND = [
  "edition_name",
  "edition_dates",
  "venue_name",
  "venue_address",
  "map_url",
  "schedule_url",
  "edition_url",
  "organiser_name",
  "first_name",
  "full_name",
];
// The link an address already holds: its own ticket's (the order's for a buyer, and for unnamed tickets).
const TICKET = ["ticket_url", "ticket_type"];
// Never to attendees: the order link is the buyer's key.
const ORDER = ["order_url", "order_reference"];
const WAITING = ["waiting_list_url"];

const SETS: Record<TemplateKey, readonly string[]> = {
  "message:ATTENDEES": TICKET,
  "message:BUYERS": ORDER,
  "message:WAITING_LIST": WAITING,
  order_confirmation: [...TICKET, ...ORDER],
  ticket_issued: TICKET,
  order_cancelled: ORDER,
  order_refunded: [...ORDER, "refund_amount"],
  unnamed_reminder: [...ORDER, "unnamed_count", "naming_deadline"],
  practical_info: TICKET,
  waitlist_joined: [...WAITING, "position"],
  waitlist_offer: [...WAITING, "offer_seats", "offer_deadline", "offer_url"],
  waitlist_offer_lapsed: WAITING,
  speaker_pass: ["code", "code_url"],
  certificate_ready: [...TICKET, "certificate_url"],
};

/** The placeholders a text for `key` may use, in the catalogue's order. */
export function allowedPlaceholders(key: TemplateKey): Placeholder[] {
  const allowed = new Set([...EVERY_KIND, ...SETS[key]]);
  return PLACEHOLDERS.filter((placeholder) => allowed.has(placeholder.name));
}

export type PlaceholderToken = { name: string; start: number; end: number };

/**
 * The placeholders of a text, and where a `{{` opens none ("{{ First name }}", "{{name}"). A lone brace is text,
 * so French, JSON or code samples need no escaping; only `{{` starts a placeholder.
 */
export function parsePlaceholders(source: string): { tokens: PlaceholderToken[]; malformed: string[] } {
  const tokens: PlaceholderToken[] = [];
  const malformed: string[] = [];
  const placeholder = /\{\{[ \t]*([a-z0-9_]+)[ \t]*\}\}/y;
  let from = 0;
  for (let open = source.indexOf("{{"); open !== -1; open = source.indexOf("{{", from)) {
    placeholder.lastIndex = open;
    const match = placeholder.exec(source);
    if (match) {
      tokens.push({ name: match[1], start: open, end: placeholder.lastIndex });
      from = placeholder.lastIndex;
    } else {
      // Shown to the organiser as written: up to its closing braces when it has some on that line, else the line's
      // rest (40 characters at most, marked when cut), so the refusal quotes a whole phrase they can find.
      const line = source.slice(open).split("\n")[0];
      const close = line.indexOf("}}", 2);
      const shown = close === -1 ? line : line.slice(0, close + 2);
      malformed.push(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown);
      from = open + 2;
    }
  }
  return { tokens, malformed };
}

export type TemplateErrorCode =
  "unknown_placeholder" | "malformed_placeholder" | "link_not_absolute" | "subject_newline" | "too_long";
/** A refusal of one field; `names`: the unknown placeholders, or the links refused, as written. */
export type TemplateError = { code: TemplateErrorCode; names?: string[] };
export type TemplateErrors = Partial<Record<"subject" | "body", TemplateError[]>>;

export const SUBJECT_MAX = 200;
/** An editable email's message; an organiser's message may be longer (MESSAGE_BODY_MAX). */
export const TEMPLATE_BODY_MAX = 10_000;
export const MESSAGE_BODY_MAX = 20_000;
const LINK_SCHEMES = /^(https?:|mailto:|tel:)/i;
// Stands for every url placeholder while links are checked: an app-made absolute URL.
const URL_STANDIN = "https://placeholder.invalid/";

function placeholderErrors(source: string, allowed: Set<string>): TemplateError[] {
  const { tokens, malformed } = parsePlaceholders(source);
  const unknown = [...new Set(tokens.map((token) => token.name).filter((name) => !allowed.has(name)))];
  return [
    ...(unknown.length > 0 ? [{ code: "unknown_placeholder" as const, names: unknown }] : []),
    ...(malformed.length > 0 ? [{ code: "malformed_placeholder" as const, names: malformed }] : []),
  ];
}

/**
 * Why a subject and message cannot be saved for `key` (empty when they can): checked on save, on scheduling and on
 * sending, for each language. Links are checked on the message as it will be rendered (its url placeholders as
 * absolute URLs, text ones as text), so a link whose target is a name, a path or a `javascript:` is refused.
 */
export function validateTemplate(key: TemplateKey, draft: { subject: string; body: string }): TemplateErrors {
  const allowed = new Set(allowedPlaceholders(key).map((placeholder) => placeholder.name));
  const bodyMax = key.startsWith("message:") ? MESSAGE_BODY_MAX : TEMPLATE_BODY_MAX;
  const subject = [
    ...(/[\r\n]/.test(draft.subject) ? [{ code: "subject_newline" as const }] : []),
    ...(draft.subject.length > SUBJECT_MAX ? [{ code: "too_long" as const }] : []),
    ...placeholderErrors(draft.subject, allowed),
  ];
  const rendered = substitute(draft.body, (name) =>
    BY_NAME.get(name)?.type === "url" && allowed.has(name) ? URL_STANDIN : "x",
  );
  const refused = linkTargets(rendered).filter((target) => !LINK_SCHEMES.test(target));
  const body = [
    ...(draft.body.length > bodyMax ? [{ code: "too_long" as const }] : []),
    ...placeholderErrors(draft.body, allowed),
    ...(refused.length > 0 ? [{ code: "link_not_absolute" as const, names: refused }] : []),
  ];
  return { ...(subject.length > 0 && { subject }), ...(body.length > 0 && { body }) };
}

function substitute(source: string, valueOf: (name: string) => string): string {
  const { tokens } = parsePlaceholders(source);
  let out = "";
  let from = 0;
  for (const token of tokens) {
    out += source.slice(from, token.start) + valueOf(token.name);
    from = token.end;
  }
  return out + source.slice(from);
}

// CommonMark lets every ASCII punctuation character be backslash-escaped: a name like "*Bob*" or "[x](y)" stays text.
// A value's line breaks become spaces: it cannot open a paragraph, a list or a heading of its own.
const escapeMarkdown = (value: string) => value.replace(/[\r\n]+/g, " ").replace(/[!-/:-@[-`{-~]/g, "\\$&");

/** Called with the names a text used that its kind does not allow (any more): they render empty, never throw. */
export type OnUnknownPlaceholder = (names: string[]) => void;

function placeholderFinder(key: TemplateKey, unknown: Set<string>) {
  const allowed = new Set(allowedPlaceholders(key).map((placeholder) => placeholder.name));
  return (name: string) => {
    const placeholder = BY_NAME.get(name);
    if (!placeholder || !allowed.has(name)) {
      unknown.add(name);
      return null;
    }
    return placeholder;
  };
}

const logUnknown: OnUnknownPlaceholder = (names) =>
  log.warn({ placeholders: names }, "email text with unknown placeholders");

/**
 * A message's Markdown with its placeholders replaced, before it is rendered: text values escaped so they stay
 * literal, URL values (app-made, percent-encoded) as they are so they can be a link's target.
 */
export function renderBodyPlaceholders(
  key: TemplateKey,
  body: string,
  context: PlaceholderContext,
  locale: Locale,
  onUnknown: OnUnknownPlaceholder = logUnknown,
): string {
  const unknown = new Set<string>();
  const find = placeholderFinder(key, unknown);
  const out = substitute(body, (name) => {
    const placeholder = find(name);
    if (!placeholder) return "";
    const value = placeholder.value(context, locale);
    return placeholder.type === "url" ? value : escapeMarkdown(value);
  });
  if (unknown.size > 0) onUnknown([...unknown]);
  return out;
}

/** A subject with its placeholders replaced: plain text, on one line, at most 250 characters. */
export function renderSubjectPlaceholders(
  key: TemplateKey,
  subject: string,
  context: PlaceholderContext,
  locale: Locale,
  onUnknown: OnUnknownPlaceholder = logUnknown,
): string {
  const unknown = new Set<string>();
  const find = placeholderFinder(key, unknown);
  const out = substitute(subject, (name) => find(name)?.value(context, locale) ?? "");
  if (unknown.size > 0) onUnknown([...unknown]);
  return out.replace(/\s*[\r\n]+\s*/g, " ").slice(0, 250);
}

/**
 * Sample values for a preview, from the edition itself (and one of its ticket types) and made-up people and links:
 * the preview runs the same renderer as the send, only the context differs.
 */
export function sampleContext(
  edition: PlaceholderContext["edition"],
  sample: { appUrl: string; organiserName: string; ticketType: { nameFr: string; nameEn: string }; now: Date },
  locale: Locale,
): PlaceholderContext {
  const link = (path: string) => absoluteUrl(sample.appUrl, path);
  const soon = new Date(sample.now.getTime() + 86_400_000);
  const ticket = link(ticketPath(locale, "sample"));
  return {
    appUrl: sample.appUrl,
    organiserName: sample.organiserName,
    edition,
    recipient: { firstName: "Camille", lastName: "Martin" },
    ticket: { url: ticket, typeNameFr: sample.ticketType.nameFr, typeNameEn: sample.ticketType.nameEn },
    order: { url: link(orderPath(locale, "sample")), reference: "GCH-7K3QX", unnamedCount: 2, namingDeadline: soon },
    entry: { url: link(waitingListPath(locale, "sample")), position: 3 },
    offer: { seats: 2, deadline: soon, url: link(waitingListPath(locale, "sample")) },
    refund: { amountCents: 4900, currency: "EUR" },
    certificate: { url: ticket },
    voucher: { code: "SPEAK-4F7Q", url: link(editionPath(locale, edition.slug)) },
  };
}
