import { describe, expect, it } from "vitest";
import { createEdition, editionFormFields } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import en from "@/lib/i18n/messages/en.json" with { type: "json" };
import fr from "@/lib/i18n/messages/fr.json" with { type: "json" };
import { updateEdition } from "./manage";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

describe("the waiting list's settings in the edition form", () => {
  it("saves whether the list is offered and the hours to accept, audited; a form without them keeps them", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const form = editionFormFields(edition.slug);
    const saved = await updateEdition(db, actor, edition.id, { ...form, waitingListOfferHours: " 48 " });
    expect(saved).toMatchObject({ ok: true, edition: { waitingListOpen: false, waitingListOfferHours: 48 } });
    expect(await updateEdition(db, actor, edition.id, form)).toMatchObject({
      edition: { waitingListOpen: false, waitingListOfferHours: 48 },
    });
    const reopened = await updateEdition(db, actor, edition.id, {
      ...form,
      waitingListOpen: "on",
      waitingListOfferHours: "168",
    });
    expect(reopened).toMatchObject({ ok: true, edition: { waitingListOpen: true, waitingListOfferHours: 168 } });
    const changes = await db.auditEntry.findMany({
      where: { editionId: edition.id, action: "edition.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(changes.map((entry) => [entry.before, entry.after])).toEqual([
      [
        expect.objectContaining({ waitingListOpen: true, waitingListOfferHours: 24 }),
        expect.objectContaining({ waitingListOpen: false, waitingListOfferHours: 48 }),
      ],
      [
        { waitingListOpen: false, waitingListOfferHours: 48 },
        { waitingListOpen: true, waitingListOfferHours: 168 },
      ],
    ]);
  });

  it("refuses anything but 1 to 168 whole hours, with an error that says so in both languages", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    for (const hours of ["0", "169", "-3", "2.5", "a day", "", "1000"]) {
      const result = await updateEdition(db, actor, edition.id, {
        ...editionFormFields(edition.slug),
        waitingListOfferHours: hours,
      });
      expect(result, hours).toEqual({
        ok: false,
        reason: "invalid",
        fieldErrors: { waitingListOfferHours: ["offer_hours_range"] },
      });
    }
    expect(await db.edition.findUniqueOrThrow({ where: { id: edition.id } })).toMatchObject({
      waitingListOfferHours: 24,
    });
    expect(en.waitingListAdmin.fieldError.offer_hours_range).toMatch(/1 to 168/);
    expect(fr.waitingListAdmin.fieldError.offer_hours_range).toMatch(/1 à 168/);
  });
});
