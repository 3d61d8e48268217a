import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";
import {
  allowedPlaceholders,
  parsePlaceholders,
  PLACEHOLDERS,
  renderBodyPlaceholders,
  renderSubjectPlaceholders,
  sampleContext,
  TEMPLATE_KINDS,
  validateTemplate,
  type PlaceholderContext,
  type TemplateKey,
} from "./placeholders";

const edition: PlaceholderContext["edition"] = {
  slug: "devconf-2027",
  nameFr: "DevConf 2027",
  nameEn: "DevConf 2027 (EN)",
  startsAt: new Date("2027-02-23T08:00:00Z"),
  endsAt: new Date("2027-02-23T17:30:00Z"),
  timeZone: "Europe/Paris",
  venueName: "Palais des congrès",
  venueAddress: "2 place de la Porte Maillot, Paris",
  mapUrl: null,
  scheduleUrl: "https://devconf.example/schedule",
};
const context = (recipient: PlaceholderContext["recipient"]): PlaceholderContext => ({
  ...sampleContext(
    edition,
    {
      appUrl: "https://tickets.example",
      organiserName: "Association DevConf",
      ticketType: { nameFr: "Entrée", nameEn: "Admission" },
      now: new Date("2027-01-10T12:00:00Z"),
    },
    "fr",
  ),
  recipient,
  ticket: { url: "https://tickets.example/fr/tickets/tok%2Fen", typeNameFr: "Entrée", typeNameEn: "Admission" },
});

describe("placeholders", () => {
  it("are {{ name }} with optional spaces; a lone brace is text, a {{ that opens none is malformed", () => {
    const { tokens, malformed } = parsePlaceholders(
      "Bonjour {{first_name}}, {{ edition_name }} {a} }} { {x} {{ First Name }} {{first_name} fin",
    );
    expect(tokens.map((token) => token.name)).toEqual(["first_name", "edition_name"]);
    expect(malformed).toEqual(["{{ First Name }}", "{{first_name} fin"]);
    // Quoted whole up to the line's end, so the organiser can find it; a runaway one is cut at 40 and marked.
    expect(parsePlaceholders("Bye {{ first_name, see you soon\nnext").malformed).toEqual([
      "{{ first_name, see you soon",
    ]);
    expect(parsePlaceholders(`{{ ${"x".repeat(60)}`).malformed).toEqual([`{{ ${"x".repeat(37)}…`]);
  });

  it("are refused by name when unknown or not allowed for the kind, the allowed set being per kind", () => {
    expect(validateTemplate("message:ATTENDEES", { subject: "{{ edition_name }}", body: "{{ ticket_url }}" })).toEqual(
      {},
    );
    expect(
      validateTemplate("message:ATTENDEES", {
        subject: "Hi {{ firstname }}",
        body: "{{ order_url }} {{ first_name }} {{ promo_code }} {{ order_url }}",
      }),
    ).toEqual({
      subject: [{ code: "unknown_placeholder", names: ["firstname"] }],
      body: [{ code: "unknown_placeholder", names: ["order_url", "promo_code"] }],
    });
    // The order link is the buyer's key: buyers may have it, attendees never.
    expect(validateTemplate("message:BUYERS", { subject: "", body: "{{ order_url }} {{ order_reference }}" })).toEqual(
      {},
    );
    expect(validateTemplate("message:BUYERS", { subject: "", body: "{{ ticket_url }}" })).toEqual({
      body: [{ code: "unknown_placeholder", names: ["ticket_url"] }],
    });
    const names = (key: TemplateKey) => allowedPlaceholders(key).map((placeholder) => placeholder.name);
    expect(names("waitlist_offer")).toEqual(expect.arrayContaining(["offer_url", "offer_deadline", "offer_seats"]));
    expect(names("waitlist_offer")).not.toContain("ticket_url");
    expect(names("order_refunded")).toContain("refund_amount");
    expect(names("certificate_ready")).toContain("certificate_url");
    for (const kind of TEMPLATE_KINDS) expect(names(kind)).toEqual(expect.arrayContaining(["first_name"]));
  });

  it("refuse a malformed one, a newline in the subject, a text too long, a link that is not absolute", () => {
    expect(
      validateTemplate("order_confirmation", {
        subject: "Line\nbreak {{ edition_name",
        body:
          `${"x".repeat(10_001)} [site](/fr/editions) [name]({{ first_name }}) [ticket]({{ ticket_url }}) ` +
          "[bad](javascript:alert(1)) [mail](mailto:a@example.org) [ok](https://example.org)",
      }),
    ).toEqual({
      subject: [{ code: "subject_newline" }, { code: "malformed_placeholder", names: ["{{ edition_name"] }],
      body: [{ code: "too_long" }, { code: "link_not_absolute", names: ["/fr/editions", "x", "javascript:alert(1)"] }],
    });
    // A message may be longer than an email's editable text.
    expect(validateTemplate("message:ATTENDEES", { subject: "s", body: "x".repeat(20_000) })).toEqual({});
    expect(validateTemplate("message:ATTENDEES", { subject: "s".repeat(201), body: "x".repeat(20_001) })).toEqual({
      subject: [{ code: "too_long" }],
      body: [{ code: "too_long" }],
    });
  });

  it("keep Markdown punctuation in a value literal, and put a URL value in a link's target", () => {
    const body = renderBodyPlaceholders(
      "message:ATTENDEES",
      "Hello {{ first_name }}, [your ticket]({{ ticket_url }}) for {{edition_name}}.",
      context({ firstName: "*Bob* [x](javascript:alert(1)) <b>\n\n# Title", lastName: null }),
      "en",
    );
    const html = renderMarkdown(body);
    expect(html).toContain("Hello *Bob* [x](javascript:alert(1)) &lt;b&gt; # Title,");
    expect(html).not.toMatch(/<em>|<h2|javascript:alert\(1\)"/);
    expect(html).toMatch(/<a href="https:\/\/tickets.example\/fr\/tickets\/tok%2Fen"[^>]*>your ticket<\/a>/);
    expect(html).toContain("for DevConf 2027 (EN).");
  });

  it("fill a subject with raw values on one line, at most 250 characters", () => {
    const subject = renderSubjectPlaceholders(
      "message:ATTENDEES",
      "{{ first_name }}: {{ edition_name }} *",
      context({ firstName: "Zoé *\r\nO'Neil", lastName: null }),
      "fr",
    );
    expect(subject).toBe("Zoé * O'Neil: DevConf 2027 *");
    const long = renderSubjectPlaceholders(
      "message:ATTENDEES",
      "{{ full_name }}",
      context({ firstName: "a".repeat(300), lastName: "b" }),
      "fr",
    );
    expect(long).toHaveLength(250);
  });

  it("render one unknown at send time (its kind's set shrank since) empty, and say which, without throwing", () => {
    const unknown: string[][] = [];
    const out = renderBodyPlaceholders(
      "message:WAITING_LIST",
      "{{ first_name }} {{ ticket_url }} {{ gone }}.",
      context({ firstName: "Ada", lastName: "Lovelace" }),
      "fr",
      (names) => unknown.push(names),
    );
    expect(out).toBe("Ada  .");
    expect(unknown).toEqual([["ticket_url", "gone"]]);
  });

  it("give every placeholder a value from a preview's sample context, in both languages", () => {
    for (const locale of ["fr", "en"] as const) {
      const sample = sampleContext(
        edition,
        {
          appUrl: "https://tickets.example",
          organiserName: "DevConf",
          ticketType: { nameFr: "Entrée", nameEn: "Admission" },
          now: new Date("2027-01-10T12:00:00Z"),
        },
        locale,
      );
      const empty = PLACEHOLDERS.filter((placeholder) => placeholder.value(sample, locale) === "");
      expect(empty.map((placeholder) => placeholder.name)).toEqual([]);
      for (const placeholder of PLACEHOLDERS.filter((each) => each.type === "url")) {
        expect(placeholder.value(sample, locale)).toMatch(/^https:\/\//);
      }
    }
    const sample = context({ firstName: "Ada", lastName: "Lovelace" });
    expect(renderSubjectPlaceholders("order_confirmation", "{{ edition_dates }}", sample, "fr")).toMatch(
      /^mardi 23 février 2027.*09:00.*18:30/,
    );
    expect(renderSubjectPlaceholders("order_confirmation", "{{ map_url }}", sample, "fr")).toBe(
      "https://www.openstreetmap.org/search?query=Palais%20des%20congr%C3%A8s%2C%202%20place%20de%20la%20Porte%20Maillot%2C%20Paris",
    );
  });
});
