import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerAttendee } from "@/lib/orders/register";
import { attendeeRequest, createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createAllocation, updateAllocation } from "@/lib/vouchers/allocations";
import { createVouchers } from "@/lib/vouchers/voucher";
import { addTestEntry } from "@/devtools/testing/waitlist";
import { removeEntry } from "@/lib/waitlist/entries";
import { auditLogPage, parseAuditFilter } from "./log";

const { db } = await useTestDatabase();

type Entry = { action: string; by: string; at: string; subjectType?: string; subjectId?: string };

async function editionWithLog(entries: Entry[]) {
  const edition = await createEdition(db, { capacity: 10 });
  for (const entry of entries) {
    await db.auditEntry.create({
      data: {
        editionId: edition.id,
        actorEmail: entry.by,
        action: entry.action,
        subjectType: entry.subjectType ?? "edition",
        subjectId: entry.subjectId ?? edition.id,
        createdAt: new Date(entry.at),
      },
    });
  }
  return edition;
}

describe("the audit log's query", () => {
  it("pages beyond any fixed limit, newest first, never skipping or repeating entries of one instant", async () => {
    const at = (i: number) => (i < 3 ? "2027-03-01T10:00:00.000Z" : `2027-03-0${i}T09:00:00.000Z`);
    const edition = await editionWithLog(
      Array.from({ length: 7 }, (_, i) => ({ action: "edition.updated", by: "a@example.org", at: at(i) })),
    );
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await auditLogPage(db, edition, { before }, 3);
      seen.push(...result.entries.map((entry) => entry.id));
      if (!result.older) break;
      before = result.older;
    }
    const all = await db.auditEntry.findMany({
      where: { editionId: edition.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(seen).toEqual(all.map((entry) => entry.id));
    expect(new Set(seen).size).toBe(7);
  });

  it("filters by kind of change, by person and by the edition's calendar days", async () => {
    const edition = await editionWithLog([
      { action: "attendee.edited", by: "ana@example.org", at: "2027-03-01T23:30:00.000Z" }, // 00:30 on 2 March in Paris
      { action: "attendee.cancelled", by: "bo@example.org", at: "2027-03-02T12:00:00.000Z" },
      { action: "ticket_type.updated", by: "ana@example.org", at: "2027-03-02T12:00:00.000Z" },
      { action: "attendee.edited", by: "ana@example.org", at: "2027-03-02T23:30:00.000Z" }, // 00:30 on 3 March in Paris
    ]);
    const actions = async (query: Record<string, string>) => {
      const page = await auditLogPage(db, edition, parseAuditFilter(query));
      return page.entries.map((entry) => entry.action).sort();
    };
    expect(await actions({ kind: "attendee" })).toEqual(["attendee.cancelled", "attendee.edited", "attendee.edited"]);
    expect(await actions({ kind: "attendee", by: "ana@example.org" })).toEqual(["attendee.edited", "attendee.edited"]);
    expect(await actions({ from: "2027-03-02", to: "2027-03-02" })).toEqual([
      "attendee.cancelled",
      "attendee.edited",
      "ticket_type.updated",
    ]);
    expect(await actions({ from: "2027-03-03" })).toEqual(["attendee.edited"]);
    // Odd input narrows nothing rather than failing the page.
    expect(await actions({ kind: "nope", from: "yesterday", before: "x" })).toHaveLength(4);
    expect((await auditLogPage(db, edition, {})).people).toEqual(["ana@example.org", "bo@example.org"]);
  });

  it("names the attendee of a ticket entry", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const placed = await registerAttendee(db, edition.slug, attendeeRequest("free", randomUUID()), { holdMinutes: 35 });
    if (!placed.ok) throw new Error(placed.reason);
    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: placed.order.id } });
    await db.auditEntry.create({
      data: {
        editionId: edition.id,
        actorEmail: "a@example.org",
        action: "attendee.edited",
        subjectType: "ticket",
        subjectId: ticket.id,
      },
    });
    const page = await auditLogPage(db, edition, {});
    expect(page.ticketNames.get(ticket.id)).toBe(`${ticket.firstName} ${ticket.lastName}`);
  });
});

describe("the names an entry is read with", () => {
  it("gives the blocks' and ticket types' names for the ids vouchers' and blocks' entries record", async () => {
    const organiser = await createOrganiser(db);
    const edition = await createEdition(db, {
      capacity: 20,
      ticketTypes: [{ code: "conference", priceCents: 25000 }, { code: "speaker" }],
    });
    const [, speaker] = edition.ticketTypes;
    const releaseAt = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16);
    const form = { name: "Acme", seats: "4", ticketTypeId: "", releaseAt };
    const created = await createAllocation(db, organiser, edition.id, form, new Date());
    if (!created.ok) throw new Error(JSON.stringify(created));
    const block = created.allocation;
    await createVouchers(db, organiser, edition.id, {
      code: "ACME-1",
      effect: "FREE",
      maxUses: "1",
      ticketTypeIds: [speaker.id],
      allocationId: block.id,
      active: "on",
    });
    await updateAllocation(db, organiser, edition.id, block.id, { ...form, name: "Acme Corp" }, new Date());

    const { blockNames, typeNames } = await auditLogPage(db, edition, {});

    expect(blockNames).toEqual(new Map([[block.id, "Acme Corp"]]));
    expect(typeNames).toEqual(new Map([[speaker.id, { nameFr: "speaker", nameEn: "speaker" }]]));
  });

  it("gives a waiting-list entry's name, as it is now, for the organiser's removals and offers", async () => {
    const organiser = await createOrganiser(db);
    const edition = await createEdition(db, { capacity: 1 });
    const entry = await addTestEntry(db, edition, { name: "Katherine Johnson" });
    expect(await removeEntry(db, organiser, entry.id)).toMatchObject({ ok: true, closed: true });
    const { entries, entryNames } = await auditLogPage(db, edition, {});
    expect(entries.map((row) => [row.action, row.subjectId])).toEqual([["waitlist.removed", entry.id]]);
    expect(entryNames).toEqual(new Map([[entry.id, "Katherine Johnson"]]));
  });
});
