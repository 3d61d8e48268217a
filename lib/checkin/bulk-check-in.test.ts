import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cancelAttendees } from "@/lib/attendees/bulk";
import { createEdition, createOrganiser, registerTicket } from "@/devtools/testing/fixtures";
import { useLocalStripe } from "@/devtools/testing/local-stripe";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { checkInAttendees } from "./bulk-check-in";

const { db } = await useTestDatabase();
const { stripe } = await useLocalStripe();
const { publicKey } = generateKeyPairSync("ed25519");
const verifyKeys = [{ publicKey }];

describe("bulk check-in from the back office", () => {
  it("checks attendees in as scans by the organiser, once, and never a cancelled ticket", async () => {
    const actor = await createOrganiser(db);
    const edition = await createEdition(db, { capacity: 5 });
    const [first, second, gone] = [
      await registerTicket(db, edition.slug, "free", "1"),
      await registerTicket(db, edition.slug, "free", "2"),
      await registerTicket(db, edition.slug, "free", "3"),
    ];
    await cancelAttendees(db, stripe, actor, { editionId: edition.id, ticketIds: [gone.id] }, { refund: false });
    const selection = { editionId: edition.id, ticketIds: [first.id, second.id, gone.id] };
    expect(await checkInAttendees(db, verifyKeys, actor, selection)).toEqual({ done: 2, skipped: { cancelled: 1 } });
    expect(await checkInAttendees(db, verifyKeys, actor, selection)).toEqual({
      done: 0,
      skipped: { already_checked_in: 2, cancelled: 1 },
    });
    const scans = await db.checkInScan.findMany({ where: { editionId: edition.id, result: "ADMITTED" } });
    expect(scans.map((scan) => [scan.userId, scan.deviceId]).sort()).toEqual([
      [actor.id, "back-office"],
      [actor.id, "back-office"],
    ]);
    expect(await db.ticket.count({ where: { editionId: edition.id, checkedInAt: { not: null } } })).toBe(2);
  });
});
