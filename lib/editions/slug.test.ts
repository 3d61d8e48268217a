import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/devtools/testing/test-database";
import { createEdition, slugFromName } from "./manage";

const { db } = await useTestDatabase();
const actor = { id: "00000000-0000-4000-8000-000000000001", email: "organiser@example.org" };

describe("an edition's public address", () => {
  it("is made from a name: accents dropped, anything else a single dash", () => {
    expect(slugFromName("Open Cloud Paris #13")).toBe("open-cloud-paris-13");
    expect(slugFromName("  Été 2027 — Spécial Œuvre ")).toBe("ete-2027-special-uvre");
    expect(slugFromName("###")).toBe("");
  });

  it("is made from the English name if the organiser leaves it empty, refused if nothing usable is left", async () => {
    const form = {
      nameFr: "Journée d’été",
      nameEn: `Summer Day ${Date.now()}`,
      slug: "",
      venueName: "La Cantine",
      venueAddress: "12 rue de la Paix, Paris",
      timeZone: "Europe/Paris",
      startsAt: "2027-06-10T09:00",
      endsAt: "2027-06-10T18:00",
      capacity: "50",
      currency: "EUR",
    };
    const result = await createEdition(db, actor, form);
    if (!result.ok) throw new Error(result.reason);
    expect(result.edition.slug).toBe(slugFromName(form.nameEn));
    expect(await createEdition(db, actor, { ...form, nameEn: "???", nameFr: "!!!" })).toMatchObject({
      ok: false,
      fieldErrors: { slug: ["too_short", "invalid_slug"] },
    });
  });
});
