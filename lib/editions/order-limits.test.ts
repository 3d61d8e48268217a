import { describe, expect, it } from "vitest";
import { createEdition, editionFormFields } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { updateEdition } from "./manage";
import { saveTicketType } from "./ticket-types";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

describe("group-order settings in the back office", () => {
  it("saves the tickets per order and whether buyers may name attendees later, audited", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    expect(edition).toMatchObject({ maxTicketsPerOrder: 10, allowNameLater: true });
    // An unticked checkbox is absent from the form: the organiser forbids naming later.
    const saved = await updateEdition(
      db,
      actor,
      edition.id,
      editionFormFields(edition.slug, { maxTicketsPerOrder: "4" }),
    );
    expect(saved).toMatchObject({ ok: true, edition: { maxTicketsPerOrder: 4, allowNameLater: false } });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { editionId: edition.id, action: "edition.updated" } });
    expect(entry).toMatchObject({
      before: { maxTicketsPerOrder: 10, allowNameLater: true },
      after: { maxTicketsPerOrder: 4, allowNameLater: false },
    });
    const allowed = editionFormFields(edition.slug, { maxTicketsPerOrder: "4", allowNameLater: "on" });
    expect(await updateEdition(db, actor, edition.id, allowed)).toMatchObject({ edition: { allowNameLater: true } });
    const tooMany = await updateEdition(
      db,
      actor,
      edition.id,
      editionFormFields(edition.slug, { maxTicketsPerOrder: "101" }),
    );
    expect(tooMany).toMatchObject({
      ok: false,
      reason: "invalid",
      fieldErrors: { maxTicketsPerOrder: expect.any(Array) },
    });
  });

  it("saves whether attendees may cancel their own ticket, off unless ticked, audited", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    expect(edition.attendeesMayCancel).toBe(false);
    const form = editionFormFields(edition.slug, { allowNameLater: "on", attendeesMayCancel: "on" });
    expect(await updateEdition(db, actor, edition.id, form)).toMatchObject({
      ok: true,
      edition: { attendeesMayCancel: true },
    });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { editionId: edition.id, action: "edition.updated" } });
    expect(entry).toMatchObject({ before: { attendeesMayCancel: false }, after: { attendeesMayCancel: true } });
    const unticked = editionFormFields(edition.slug, { allowNameLater: "on" });
    expect(await updateEdition(db, actor, edition.id, unticked)).toMatchObject({
      edition: { attendeesMayCancel: false },
    });
  });

  it("saves a ticket type's own limit per order, empty for the edition's", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const type = { code: "team", nameFr: "Équipe", nameEn: "Team", price: "0", quota: "", active: "on" };
    const limited = await saveTicketType(db, actor, edition.id, null, { ...type, maxPerOrder: "3" });
    expect(limited).toMatchObject({ ok: true, ticketType: { maxPerOrder: 3 } });
    if (!limited.ok) return;
    const open = await saveTicketType(db, actor, edition.id, limited.ticketType.id, { ...type, maxPerOrder: "" });
    expect(open).toMatchObject({ ok: true, ticketType: { maxPerOrder: null } });
  });
});
