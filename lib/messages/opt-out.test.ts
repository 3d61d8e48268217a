import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { emailHash, emailKeyOf, emailLinkKeyFrom, optedOut, optIn, optOut, optOutHashOf, optOutToken } from "./opt-out";

const { db } = await useTestDatabase();
const key = "opt-out-test-key-0123456789abcdefghij";

describe("opting out of the organisers' news", () => {
  it("works from the link's token alone, stores the address's hash only, and can be undone", async () => {
    const address = emailKeyOf("  Ada.Lovelace@Example.org ");
    const token = optOutToken(key, address);
    expect(await optedOut(db, key, token)).toBe(false);
    expect(await optOut(db, key, token, "one_click")).toBe(true);
    expect(await optOut(db, key, token, "page")).toBe(true);
    expect(await optedOut(db, key, token)).toBe(true);
    expect(await db.emailOptOut.findMany()).toMatchObject([{ emailHash: emailHash("ada.lovelace@example.org") }]);
    expect(await optIn(db, key, token)).toBe(true);
    expect(await optedOut(db, key, token)).toBe(false);
  });

  it("refuses a token not made with the key, or altered", async () => {
    const token = optOutToken(key, "grace@example.org");
    const [hash, mac] = token.split(".");
    const forged = [
      optOutToken("another-key-0123456789abcdefghijklmn", "grace@example.org"),
      `${emailHash("other@example.org")}.${mac}`,
      `${hash}.${mac.slice(0, -1)}`,
      `${hash}`,
      `${token}.x`,
    ];
    for (const candidate of forged) {
      expect(optOutHashOf(key, candidate)).toBeNull();
      expect(await optOut(db, key, candidate, "page")).toBe(false);
    }
    expect(await db.emailOptOut.count({ where: { emailHash: hash } })).toBe(0);
  });

  it("signs with EMAIL_LINK_HMAC_KEY, else a key derived from AUTH_SECRET", () => {
    const own = "x".repeat(32);
    expect(emailLinkKeyFrom({ EMAIL_LINK_HMAC_KEY: own, AUTH_SECRET: "secret" })).toBe(own);
    const derived = emailLinkKeyFrom({ AUTH_SECRET: "secret" });
    expect(derived).not.toBe("secret");
    expect(derived).toBe(emailLinkKeyFrom({ AUTH_SECRET: "secret" }));
    expect(emailLinkKeyFrom({})).toBeNull();
  });
});
