import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { EMAIL_KINDS } from "./outbox";

// The back office lists emails by kind (the Emails page, an order's emails): every kind has its words.
describe("email kinds", () => {
  it.each([
    ["en", en],
    ["fr", fr],
  ])("each has a label in the %s catalogue", (_, catalogue) => {
    const labels: Record<string, string> = catalogue.emails.kind;
    expect(EMAIL_KINDS.filter((kind) => !labels[kind])).toEqual([]);
  });
});
