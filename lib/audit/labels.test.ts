import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { AUDIT_KINDS } from "./log";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

// Every action a file that writes the audit log names, literally or as `edition.${status}`.
function writtenActions(): string[] {
  const actions = new Set<string>();
  for (const file of sources(join(process.cwd(), "lib"))) {
    const text = readFileSync(file, "utf8");
    if (!text.includes("recordAudit(")) continue;
    for (const [, action] of text.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) {
      if (AUDIT_KINDS.some((kind) => action.startsWith(`${kind}.`))) actions.add(action);
    }
    if (text.includes("`edition.${status.toLowerCase()}`")) {
      for (const status of ["open", "closed", "draft"]) actions.add(`edition.${status}`);
    }
  }
  return [...actions].sort();
}

const label = (catalogue: typeof en, action: string) => {
  const [kind, verb] = action.split(".");
  return (catalogue.staffAndAudit.audit.action as Record<string, Record<string, string> | undefined>)[kind]?.[verb];
};

describe("the audit log's labels", () => {
  it("name every action written across lib/ in French and in English", () => {
    const actions = writtenActions();
    expect(actions).toContain("attendee.cancelled_refunded");
    expect(actions.filter((action) => !label(en, action) || !label(fr, action))).toEqual([]);
  });
});

describe("the audit log's field labels", () => {
  it("name every field a voucher's or a block's entry records, and a voucher's state apart from a type's sale", () => {
    const fields = [
      ...["code", "codes", "effect", "percentOff", "amountCents", "maxUses", "maxUsesPerOrder", "validFrom"],
      ...["validUntil", "tag", "note", "issuedTo", "allocationId", "ticketTypeIds", "ticketTypeId", "codeActive"],
      ...["name", "seats", "releaseAt", "returned"],
    ];
    for (const catalogue of [en, fr]) {
      const labels = catalogue.staffAndAudit.audit.field as Record<string, string>;
      expect(fields.filter((field) => !labels[field])).toEqual([]);
      expect(labels.codeActive).not.toBe(labels.active);
    }
  });
});
