import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { EDITION_FIELDS } from "./manage";
import { AUDITED_TICKET_TYPE_FIELDS } from "./ticket-types";

// The audit log shows a field's label, or its raw name when the catalogue lacks one: every setting has a label.
describe("the audit log's field labels", () => {
  it.each([
    ["en", en],
    ["fr", fr],
  ])("name every audited field of an edition and a ticket type (%s)", (_, catalogue) => {
    const labels: Record<string, string> = catalogue.staffAndAudit.audit.field;
    const missing = [...EDITION_FIELDS, ...AUDITED_TICKET_TYPE_FIELDS].filter((field) => !labels[field]);
    expect(missing).toEqual([]);
  });
});
