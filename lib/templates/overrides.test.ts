import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEdition, createOrganiser } from "@/devtools/testing/fixtures";
import { useTestDatabase } from "@/devtools/testing/test-database";
import en from "@/lib/i18n/email-templates/en.json" with { type: "json" };
import fr from "@/lib/i18n/email-templates/fr.json" with { type: "json" };
import {
  defaultTemplate,
  loadTemplate,
  placeholderSamples,
  previewTemplate,
  resetTemplate,
  saveTemplate,
} from "./overrides";
import { allowedPlaceholders, TEMPLATE_KINDS, validateTemplate } from "./placeholders";

const { db } = await useTestDatabase(2);

const sample = {
  appUrl: "https://tickets.example",
  organiserName: "Association DevConf",
  now: new Date("2027-01-10T12:00:00Z"),
  footer: "Vous recevez cet e-mail car vous êtes inscrit.",
};

describe("the default templates", () => {
  it("have the same kinds in both languages, exactly the editable ones, each a subject and a message", () => {
    expect(Object.keys(fr).sort()).toEqual([...TEMPLATE_KINDS].sort());
    expect(Object.keys(en).sort()).toEqual([...TEMPLATE_KINDS].sort());
    for (const text of [...Object.values(fr), ...Object.values(en)]) {
      expect(Object.keys(text).sort()).toEqual(["body", "subject"]);
    }
  });

  it("are each valid for their kind in both languages", () => {
    for (const kind of TEMPLATE_KINDS) {
      for (const locale of ["fr", "en"] as const) {
        expect([kind, locale, validateTemplate(kind, defaultTemplate(kind, locale))]).toEqual([kind, locale, {}]);
      }
    }
  });
});

describe("an edition's templates", () => {
  it("are the default until saved, then the edition’s in that language only, audited before and after", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const other = await createEdition(db, { capacity: 10 });
    const actor = await createOrganiser(db);
    expect(await loadTemplate(db, edition.id, "waitlist_offer", "fr")).toEqual({
      ...fr.waitlist_offer,
      customised: false,
    });
    const text = { subject: "Places pour {{ first_name }}", body: "Vite : {{ offer_url }} avant {{ offer_deadline }}" };
    expect(await saveTemplate(db, actor, edition.id, "waitlist_offer", "fr", text)).toEqual({
      ok: true,
      changed: true,
    });

    expect(await loadTemplate(db, edition.id, "waitlist_offer", "fr")).toEqual({ ...text, customised: true });
    expect(await loadTemplate(db, edition.id, "waitlist_offer", "en")).toEqual({
      ...en.waitlist_offer,
      customised: false,
    });
    expect(await loadTemplate(db, other.id, "waitlist_offer", "fr")).toEqual({
      ...fr.waitlist_offer,
      customised: false,
    });
    const entries = await db.auditEntry.findMany({ where: { editionId: edition.id } });
    expect(entries).toMatchObject([
      {
        action: "template.updated",
        subjectType: "email_template",
        actorId: actor.id,
        before: { kind: "waitlist_offer", locale: "fr", customised: false, ...fr.waitlist_offer },
        after: { kind: "waitlist_offer", locale: "fr", customised: true, ...text },
      },
    ]);
    // The same text again changes nothing and writes no entry.
    expect(await saveTemplate(db, actor, edition.id, "waitlist_offer", "fr", text)).toEqual({
      ok: true,
      changed: false,
    });
    expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(1);
  });

  it("refuse an unknown placeholder by name and save nothing", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const actor = await createOrganiser(db);
    const outcome = await saveTemplate(db, actor, edition.id, "order_cancelled", "en", {
      subject: "Cancelled {{ order_reference }}",
      body: "Hello {{ first_name }}, see {{ offer_url }} and {{ promo }}.",
    });
    expect(outcome).toEqual({
      ok: false,
      errors: { body: [{ code: "unknown_placeholder", names: ["offer_url", "promo"] }] },
    });
    expect(await db.emailTemplate.count({ where: { editionId: edition.id } })).toBe(0);
    expect(await db.auditEntry.count({ where: { editionId: edition.id } })).toBe(0);
  });

  it("are reset to the default by deleting the edition's text, audited with the text removed", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const actor = await createOrganiser(db);
    const text = { subject: "Annulée", body: "Votre commande {{ order_reference }} est annulée." };
    await saveTemplate(db, actor, edition.id, "order_cancelled", "fr", text);
    await saveTemplate(db, actor, edition.id, "order_cancelled", "en", { subject: "Cancelled", body: "Sorry." });

    expect(await resetTemplate(db, actor, edition.id, "order_cancelled", "fr")).toEqual({ reset: true });
    expect(await loadTemplate(db, edition.id, "order_cancelled", "fr")).toEqual({
      ...fr.order_cancelled,
      customised: false,
    });
    expect(await loadTemplate(db, edition.id, "order_cancelled", "en")).toMatchObject({ customised: true });
    const reset = await db.auditEntry.findFirstOrThrow({ where: { editionId: edition.id, action: "template.reset" } });
    expect(reset).toMatchObject({ before: { locale: "fr", ...text }, after: { locale: "fr", ...fr.order_cancelled } });
    expect(await resetTemplate(db, actor, edition.id, "order_cancelled", "fr")).toEqual({ reset: false });
  });
});

describe("a template's preview", () => {
  it("renders a draft with sample values on the layout, and refuses an invalid one", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const preview = await previewTemplate(
      db,
      edition.id,
      "waitlist_offer",
      "fr",
      {
        subject: "{{ offer_seats }} places à {{ edition_name }}",
        body: "Bonjour **{{ first_name }}** [ici]({{ offer_url }})",
      },
      sample,
    );
    expect(preview).toMatchObject({ ok: true, subject: `2 places à ${edition.nameFr}` });
    if (!preview.ok) return;
    expect(preview.html).toContain("<strong>Camille</strong>");
    expect(preview.html).toContain('href="https://tickets.example/fr/');
    expect(preview.html).toContain(sample.footer);
    expect(preview.text).toMatch(/Bonjour Camille ici \[https:\/\/tickets\.example\/fr\//);
    expect(
      await previewTemplate(
        db,
        edition.id,
        "waitlist_offer",
        "fr",
        { subject: "{{ refund_amount }}", body: "" },
        sample,
      ),
    ).toEqual({ ok: false, errors: { subject: [{ code: "unknown_placeholder", names: ["refund_amount"] }] } });
  });
});

describe("the editor's placeholders", () => {
  it("are the kind’s allowed ones with sample values, the edition’s name standing in for no legal name", async () => {
    const edition = await createEdition(db, { capacity: 10 });
    const samples = await placeholderSamples(db, edition.id, "waitlist_joined", "en", {
      ...sample,
      organiserName: null,
    });
    expect(samples.map((placeholder) => placeholder.name)).toEqual(
      allowedPlaceholders("waitlist_joined").map((placeholder) => placeholder.name),
    );
    const value = (name: string) => samples.find((placeholder) => placeholder.name === name)?.sample;
    expect(value("organiser_name")).toBe(edition.nameEn);
    expect(value("edition_name")).toBe(edition.nameEn);
    expect(value("first_name")).toBe("Camille");
    expect(value("position")).toBe("3");
    expect(value("waiting_list_url")).toMatch(/^https:\/\/tickets\.example\/en\/waiting-list\//);
    expect(samples.some((placeholder) => placeholder.name === "refund_amount")).toBe(false);

    const named = await placeholderSamples(db, edition.id, "order_refunded", "fr", sample);
    expect(named.find((placeholder) => placeholder.name === "organiser_name")?.sample).toBe("Association DevConf");
    expect(named.find((placeholder) => placeholder.name === "refund_amount")?.sample).toMatch(/^49,00\s€$/);
  });

  it("refuse an edition that does not exist", async () => {
    await expect(placeholderSamples(db, randomUUID(), "waitlist_joined", "fr", sample)).rejects.toThrow();
  });
});
