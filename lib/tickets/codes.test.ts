import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateTicketSigningKey, signTicketCode, ticketKeysFrom, verifyTicketCode } from "./codes";

const keys = ticketKeysFrom(generateTicketSigningKey());
const otherKeys = ticketKeysFrom(generateTicketSigningKey());
const claims = { ticketId: randomUUID(), editionId: randomUUID(), codeVersion: 3 };

describe("ticket codes", () => {
  it("round-trips the claims of a valid code, compactly", () => {
    const code = signTicketCode(claims, keys.privateKey);
    expect(code).toMatch(/^G1[A-Za-z0-9_-]{132}$/);
    expect(verifyTicketCode(code, keys.verifyKeys)).toEqual({ ok: true, claims });
  });

  it("refuses a code altered by one character anywhere", () => {
    const code = signTicketCode(claims, keys.privateKey);
    for (const position of [2, 10, 40, 70, 100, code.length - 1]) {
      const altered = code.slice(0, position) + (code[position] === "A" ? "B" : "A") + code.slice(position + 1);
      expect(verifyTicketCode(altered, keys.verifyKeys).ok, `position ${position}`).toBe(false);
    }
  });

  it("refuses a code signed with another key", () => {
    expect(verifyTicketCode(signTicketCode(claims, otherKeys.privateKey), keys.verifyKeys)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses truncated, padded and foreign codes as malformed", () => {
    const code = signTicketCode(claims, keys.privateKey);
    expect(verifyTicketCode(code.slice(0, -4), keys.verifyKeys)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyTicketCode(`${code}AAAA`, keys.verifyKeys)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyTicketCode("https://example.org/not-a-ticket", keys.verifyKeys)).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(verifyTicketCode("", keys.verifyKeys)).toEqual({ ok: false, reason: "malformed" });
  });

  it("loads keys from PEM and from base64 DER, and refuses other key types", () => {
    const pem = generateTicketSigningKey();
    const der = ticketKeysFrom(pem).privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    const code = signTicketCode(claims, ticketKeysFrom(pem).privateKey);
    expect(verifyTicketCode(code, ticketKeysFrom(der).verifyKeys).ok).toBe(true);
    expect(() => ticketKeysFrom("not a key")).toThrow();
  });
});
