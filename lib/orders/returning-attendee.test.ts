import { describe, expect, it } from "vitest";
import { attendeeRequest, createEdition } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { generateTicketSigningKey, ticketKeysFrom } from "@/lib/tickets/codes";
import { registerAttendee } from "./register";
import { prefillValuesFor, requestPrefillLink, signPrefillToken, verifyPrefillToken } from "./returning-attendee";

const { db } = await useTestDatabase();
const keys = ticketKeysFrom(generateTicketSigningKey());
const request = (email: string, clientKey = "ip") => ({
  email,
  clientKey,
  locale: "en" as const,
  registerUrl: "http://app.test/en/editions/x/register",
  signingKey: keys.privateKey,
});

describe("prefill tokens", () => {
  it("vouch for an email until they expire, and not once altered or forged", () => {
    const now = new Date("2027-01-01T10:00:00Z");
    const token = signPrefillToken("ada@example.org", new Date("2027-01-02T10:00:00Z"), keys.privateKey);
    expect(verifyPrefillToken(token, keys.publicKey, now)).toBe("ada@example.org");
    expect(verifyPrefillToken(token, keys.publicKey, new Date("2027-01-02T10:00:01Z"))).toBeNull();
    for (const position of [3, 20, token.length - 1]) {
      const altered = token.slice(0, position) + (token[position] === "A" ? "B" : "A") + token.slice(position + 1);
      expect(verifyPrefillToken(altered, keys.publicKey, now), `position ${position}`).toBeNull();
    }
    const forged = signPrefillToken(
      "ada@example.org",
      new Date("2027-01-02T10:00:00Z"),
      ticketKeysFrom(generateTicketSigningKey()).privateKey,
    );
    expect(verifyPrefillToken(forged, keys.publicKey, now)).toBeNull();
    expect(verifyPrefillToken("P1garbage", keys.publicKey, now)).toBeNull();
  });
});

describe("requestPrefillLink", () => {
  it("emails a link only to an address seen before, answering the same either way", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    const result = await registerAttendee(db, edition.slug, attendeeRequest("free", "returning"), { holdMinutes: 35 });
    expect(result.ok).toBe(true);
    expect(await requestPrefillLink(db, request("ADA.returning@example.org"))).toBe("sent_if_known");
    expect(await requestPrefillLink(db, request("stranger@example.org"))).toBe("sent_if_known");
    expect(await requestPrefillLink(db, request("nope"))).toBe("invalid_email");
    const sent = await db.emailOutbox.findMany({ where: { kind: "returning_prefill" } });
    expect(sent.map((email) => email.toAddress)).toEqual(["ada.returning@example.org"]);
    const url = (sent[0].payload as { url: string }).url;
    const token = new URL(url).searchParams.get("prefill")!;
    expect(verifyPrefillToken(token, keys.publicKey)).toBe("ada.returning@example.org");
    expect(await prefillValuesFor(db, "ada.returning@example.org")).toEqual({
      "attendee.firstName": "Ada",
      "attendee.lastName": "Lovelace returning",
      "attendee.email": "ada.returning@example.org",
      "attendee.company": "Analytical",
    });
    for (let i = 0; i < 2; i++) await requestPrefillLink(db, request("ada.returning@example.org", `ip-${i}`));
    expect(await requestPrefillLink(db, request("ada.returning@example.org", "ip-9"))).toBe("rate_limited");
  });
});

describe("requestPrefillLink, answering before it looks", () => {
  it("answers a known and an unknown address after the same work, and looks them up afterwards", async () => {
    const edition = await createEdition(db, { capacity: 5 });
    await registerAttendee(db, edition.slug, attendeeRequest("free", "deferred"), { holdMinutes: 35 });
    const deferred: (() => Promise<void>)[] = [];
    const defer = (work: () => Promise<void>) => void deferred.push(work);
    const sent = () =>
      db.emailOutbox.count({ where: { kind: "returning_prefill", toAddress: "ada.deferred@example.org" } });
    expect(await requestPrefillLink(db, request("ada.deferred@example.org", "ip-d"), new Date(), defer)).toBe(
      "sent_if_known",
    );
    expect(await requestPrefillLink(db, request("unknown.deferred@example.org", "ip-d"), new Date(), defer)).toBe(
      "sent_if_known",
    );
    expect(deferred).toHaveLength(2);
    expect(await sent()).toBe(0);
    for (const work of deferred) await work();
    expect(await sent()).toBe(1);
  });
});
