import { describe, expect, it } from "vitest";
import { isErased } from "./erased";

describe("isErased", () => {
  it("knows an erased row by its date or by its placeholder address", () => {
    expect(isErased({ erasedAt: new Date(), email: "erased+x@invalid" })).toBe(true);
    expect(isErased({ email: "erased+0f8e2c1a-9b7d-4e3f-a2c1-5d6e7f8a9b0c@invalid" })).toBe(true);
    expect(isErased({ email: "ERASED+0F8E2C1A-9B7D-4E3F-A2C1-5D6E7F8A9B0C@INVALID" })).toBe(true);
  });

  it("leaves people, unnamed tickets and look-alike addresses alone", () => {
    expect(isErased({ erasedAt: null, email: "ada@example.org" })).toBe(false);
    expect(isErased({ email: null })).toBe(false);
    expect(isErased({})).toBe(false);
    expect(isErased({ email: "erased+ada@example.org" })).toBe(false);
    expect(isErased({ email: "erased+0f8e2c1a@invalid.example.org" })).toBe(false);
  });
});
