import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signTicketCode } from "@/lib/tickets/codes";
import { answerOffline, verifyCodeOffline, type OfflineSnapshot } from "./offline";

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const x = publicKey.export({ format: "jwk" }).x!;
const editionId = randomUUID();
const ticket = (state: "valid" | "cancelled" = "valid", checkedInAt: string | null = null) => ({
  id: randomUUID(),
  v: 1,
  state,
  name: "Ada Lovelace",
  company: "Analytical",
  typeFr: "Standard",
  typeEn: "Standard",
  checkedInAt,
});
const code = (ticketId: string, version = 1, edition = editionId) =>
  signTicketCode({ ticketId, editionId: edition, codeVersion: version }, privateKey);

describe("the scanner's offline judgement", () => {
  it("verifies codes with the public key alone, as the server does", async () => {
    const id = randomUUID();
    expect(await verifyCodeOffline(code(id, 7), x)).toEqual({ ticketId: id, editionId, codeVersion: 7 });
    const good = code(id);
    expect(await verifyCodeOffline(good.slice(0, 50) + (good[50] === "A" ? "B" : "A") + good.slice(51), x)).toBeNull();
    expect(await verifyCodeOffline("G1not*base64", x)).toBeNull();
    expect(await verifyCodeOffline("https://example.org", x)).toBeNull();
  });

  it("admits a valid ticket once per device, and refuses what the snapshot says is void", async () => {
    const [valid, cancelled, alreadyIn] = [ticket(), ticket("cancelled"), ticket("valid", "2027-05-20T07:01:00.000Z")];
    const snapshot: OfflineSnapshot = {
      edition: { id: editionId, slug: "e", nameFr: "E", nameEn: "E" },
      publicKey: x,
      tickets: [valid, cancelled, alreadyIn],
      counts: { checkedIn: 1, expected: 2 },
      syncedAt: "",
    };
    const admitted = new Map<string, { at: string; deviceId: string }>();
    expect(await answerOffline(snapshot, { code: code(valid.id) }, admitted, "door-1")).toMatchObject({
      result: "admitted",
      offline: true,
      counts: { checkedIn: 2, expected: 2 },
    });
    expect(await answerOffline(snapshot, { code: code(valid.id) }, admitted, "door-1")).toMatchObject({
      result: "already_checked_in",
      by: { deviceId: "door-1" },
    });
    expect(await answerOffline(snapshot, { code: code(alreadyIn.id) }, admitted, "door-1")).toMatchObject({
      result: "already_checked_in",
      checkedInAt: "2027-05-20T07:01:00.000Z",
    });
    expect(await answerOffline(snapshot, { code: code(cancelled.id) }, admitted, "door-1")).toMatchObject({
      result: "cancelled",
      reason: "cancelled",
    });
    expect(await answerOffline(snapshot, { code: code(valid.id, 2) }, admitted, "door-1")).toMatchObject({
      result: "cancelled",
      reason: "reissued",
    });
    expect(await answerOffline(snapshot, { code: code(randomUUID()) }, admitted, "door-1")).toMatchObject({
      result: "unknown",
    });
    expect(await answerOffline(snapshot, { code: code(valid.id, 1, randomUUID()) }, admitted, "door-1")).toMatchObject({
      result: "wrong_edition",
      edition: null,
    });
  });

  it("names the edition a foreign ticket is for when this device holds that edition's snapshot", async () => {
    const snapshot: OfflineSnapshot = {
      edition: { id: editionId, slug: "e", nameFr: "E", nameEn: "E" },
      publicKey: x,
      tickets: [],
      counts: { checkedIn: 0, expected: 0 },
      syncedAt: "",
    };
    const other = { id: randomUUID(), nameFr: "Open Cloud Paris #12", nameEn: "Open Cloud Paris 12th" };
    const answer = await answerOffline(
      snapshot,
      { code: code(randomUUID(), 1, other.id) },
      new Map(),
      "door-1",
      new Date(),
      [other],
    );
    expect(answer).toMatchObject({ result: "wrong_edition", edition: { nameFr: other.nameFr, nameEn: other.nameEn } });
  });

  it("tries each key of a snapshot after rotation: the previous key's codes pass, others' do not", async () => {
    const rotated = generateKeyPairSync("ed25519");
    const stranger = generateKeyPairSync("ed25519");
    const [byOld, byNew, byStranger] = [ticket(), ticket(), ticket()];
    const snapshot: OfflineSnapshot = {
      edition: { id: editionId, slug: "e", nameFr: "E", nameEn: "E" },
      publicKey: rotated.publicKey.export({ format: "jwk" }).x!,
      publicKeys: [rotated.publicKey.export({ format: "jwk" }).x!, x],
      tickets: [byOld, byNew, byStranger],
      counts: { checkedIn: 0, expected: 3 },
      syncedAt: "",
    };
    const signedBy = (id: string, key: typeof privateKey) =>
      signTicketCode({ ticketId: id, editionId, codeVersion: 1 }, key);
    const answer = (code: string) => answerOffline(snapshot, { code }, new Map(), "door-1");
    expect((await answer(signedBy(byOld.id, privateKey))).result).toBe("admitted");
    expect((await answer(signedBy(byNew.id, rotated.privateKey))).result).toBe("admitted");
    expect((await answer(signedBy(byStranger.id, stranger.privateKey))).result).toBe("forged");
    // A snapshot kept from before rotation lists no keys: its one key is tried alone.
    const { publicKeys: _, ...older } = snapshot;
    const olderAnswer = (code: string) => answerOffline(older, { code }, new Map(), "door-1");
    expect((await olderAnswer(signedBy(byNew.id, rotated.privateKey))).result).toBe("admitted");
    expect((await olderAnswer(signedBy(byOld.id, privateKey))).result).toBe("forged");
  });
});
