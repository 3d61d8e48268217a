import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { registerAttendee } from "@/lib/orders/register";
import { generateTicketSigningKey, publicKeyX, signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { attendeeRequest, createEdition, snapshotAsSent } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { answerOffline } from "./offline";
import { doorVerdict, recordScan } from "./scan";

const { db } = await useTestDatabase(4);
const staff = { userId: null, apiTokenId: null };

// The key before rotation, still admitted until 21 May 2027 ends (UTC); the key that signs now.
const old = ticketKeysFrom(generateTicketSigningKey());
const settings = parseEnv({
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://localhost/guichet",
  REGISTRATION_CHALLENGE: "off",
  TICKET_SIGNING_KEY: generateTicketSigningKey(),
  TICKET_PREVIOUS_KEYS: `${publicKeyX(old.publicKey)}@2027-05-21`,
});
const keys = ticketKeysFrom(settings.TICKET_SIGNING_KEY!, settings.TICKET_PREVIOUS_KEYS);
const stranger = ticketKeysFrom(generateTicketSigningKey());
const lastMoment = new Date("2027-05-21T23:59:59.999Z");
const dayAfter = new Date("2027-05-22T00:00:00.000Z");

async function ticket() {
  const edition = await createEdition(db, { capacity: 10 });
  const result = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 });
  if (!result.ok) throw new Error(result.reason);
  const { id, codeVersion } = await db.ticket.findFirstOrThrow({ where: { orderId: result.order.id } });
  const codeBy = (privateKey: typeof old.privateKey) =>
    signTicketCode({ ticketId: id, editionId: edition.id, codeVersion }, privateKey);
  return { edition, codeBy };
}

const scan = (editionId: string, code: string, now: Date) =>
  recordScan(
    db,
    keys.verifyKeys,
    editionId,
    staff,
    { nonce: randomUUID(), deviceId: "door-1", offlineAdmitted: false, code },
    now,
  );

describe("ticket codes after the signing key is rotated", () => {
  it("admits a code signed by the previous key until its day ends (UTC), and refuses it after", async () => {
    const before = await ticket();
    expect((await scan(before.edition.id, before.codeBy(old.privateKey), lastMoment)).result).toBe("admitted");

    const after = await ticket();
    const oldCode = after.codeBy(old.privateKey);
    expect(await doorVerdict(db, keys.verifyKeys, after.edition.id, { code: oldCode }, lastMoment)).toMatchObject({
      kind: "admissible",
    });
    expect((await scan(after.edition.id, oldCode, dayAfter)).result).toBe("forged");
    // The new key's codes are admitted whenever.
    expect((await scan(after.edition.id, after.codeBy(keys.privateKey), dayAfter)).result).toBe("admitted");
  });

  it("refuses a code no admitted key signed", async () => {
    const { edition, codeBy } = await ticket();
    expect((await scan(edition.id, codeBy(stranger.privateKey), lastMoment)).result).toBe("forged");
  });

  it("sends scanners both keys, the current first, and they admit the previous key's codes offline", async () => {
    const { edition, codeBy } = await ticket();
    const snapshot = await snapshotAsSent(db, edition, keys.verifyKeys, lastMoment);
    expect(snapshot.publicKey).toBe(publicKeyX(keys.publicKey));
    expect(snapshot.publicKeys).toEqual([publicKeyX(keys.publicKey), publicKeyX(old.publicKey)]);
    const offline = (code: string) => answerOffline(snapshot, { code }, new Map(), "door-2", lastMoment);
    expect((await offline(codeBy(stranger.privateKey))).result).toBe("forged");
    expect((await offline(codeBy(old.privateKey))).result).toBe("admitted");

    const later = await snapshotAsSent(db, edition, keys.verifyKeys, dayAfter);
    expect(later.publicKeys).toEqual([publicKeyX(keys.publicKey)]);
  });
});
