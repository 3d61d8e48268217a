import { describe, expect, it } from "vitest";
import { createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { namedTestVoucher } from "@/devtools/testing/vouchers";
import { findCodeCountingGuesses } from "./code-guesses";

const { db } = await useTestDatabase();
const now = new Date("2027-03-01T10:00:00Z");

describe("a code looked up on a public page", () => {
  it("spends a try of the visitor's limit only when unknown; past the limit, every code waits", async () => {
    const edition = await createEdition(db, { capacity: 10, ticketTypes: [{ code: "conference", priceCents: 25000 }] });
    await namedTestVoucher(db, edition.id, "COMMUNITY-20");
    await namedTestVoucher(db, edition.id, "ALL-GONE", { maxUses: 1, used: 1 });
    await namedTestVoucher(db, edition.id, "LAST-YEAR", { validUntil: new Date("2026-01-01T00:00:00Z") });
    const limit = { key: "registration:client:203.0.113.60", limit: 2, windowSeconds: 3600 };
    const reasonOf = async (typed: string) => {
      const found = await findCodeCountingGuesses(db, limit, edition.id, typed, now);
      return found.ok ? "ok" : found.reason;
    };
    for (let round = 0; round < 3; round++) {
      expect(await reasonOf("COMMUNITY-20")).toBe("ok");
      expect(await reasonOf("ALL-GONE")).toBe("voucher_used_up");
      expect(await reasonOf("LAST-YEAR")).toBe("voucher_expired");
    }
    expect(await reasonOf("GUESS-AAAA")).toBe("voucher_unknown");
    expect(await reasonOf("GUESS-BBBB")).toBe("voucher_unknown");
    expect(await reasonOf("GUESS-CCCC")).toBe("rate_limited");
    expect(await reasonOf("ALL-GONE")).toBe("rate_limited");
  });
});
