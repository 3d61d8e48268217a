import { expect, test } from "./support/database";
import { account, signInAs } from "./support/back-office";

// Usability review D8: a clone kept the old dates and sales windows, lost its door staff, and opened without a word.
test("an organiser clones an edition to its next date, assigns door staff, is warned before opening (fr)", async ({
  page,
  context,
  db,
  newEdition,
}) => {
  const source = await newEdition({
    capacity: 10,
    status: "CLOSED",
    ticketTypes: [{ code: "early", salesEndAt: new Date("2026-01-01T00:00:00Z") }, { code: "standard" }],
  });
  const slug = `${source.slug}-next`;
  await context.addCookies([{ name: "NEXT_LOCALE", value: "fr", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto(`/admin/editions/${source.slug}/settings`);

  const clone = page.getByRole("region", { name: "Dupliquer" });
  // The next edition is offered 26 weeks later, on the same weekday and at the same time.
  await expect(clone.getByLabel("Nouveau début")).toHaveValue("2027-11-18T09:00");
  await clone.getByLabel("Nom (français)").fill("Édition d’automne");
  await clone.getByLabel("Nom (anglais)").fill("Autumn edition");
  await clone.getByLabel("Adresse (slug)").fill(slug);
  await clone.getByRole("button", { name: "Dupliquer l’édition" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/editions/${slug}/settings$`));

  const copy = await db.edition.findUniqueOrThrow({ where: { slug }, include: { ticketTypes: true } });
  expect(copy.startsAt.toISOString()).toBe("2027-11-18T08:00:00.000Z");
  // 01:00 Paris time on 1 January becomes 01:00 Paris time 182 days later, in summer time.
  expect(copy.ticketTypes.find((type) => type.code === "early")?.salesEndAt?.toISOString()).toBe(
    "2026-07-01T23:00:00.000Z",
  );

  const warnings = page.getByTestId("opening-warnings");
  await expect(warnings).toContainText("La période de vente de early est terminée.");
  await expect(warnings).toContainText("Aucune personne d’accueil n’est encore affectée");
  // A draft can be opened; closing it would mean nothing.
  await expect(page.getByRole("button", { name: "Fermer les inscriptions" })).toHaveCount(0);

  const staff = page.getByRole("region", { name: "Équipe d’accueil" });
  await staff.getByLabel(account("CHECKIN_STAFF").email).check();
  await staff.getByRole("button", { name: "Enregistrer l’équipe d’accueil" }).click();
  await expect(staff.getByText("Équipe d’accueil enregistrée.")).toBeVisible();
  await page.reload();
  await expect(warnings).not.toContainText("Aucune personne d’accueil");
  const staffUser = await db.user.findUniqueOrThrow({ where: { email: account("CHECKIN_STAFF").email } });
  expect(await db.editionStaff.count({ where: { editionId: copy.id, userId: staffUser.id } })).toBe(1);

  // Opening asks first, and says what is still off; dismissing it changes nothing.
  const asked: string[] = [];
  page.once("dialog", (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await page.getByRole("button", { name: "Ouvrir les inscriptions" }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain("Ouvrir les inscriptions malgré tout ?");
  expect(asked[0]).toContain("La période de vente de early est terminée.");
  expect((await db.edition.findUniqueOrThrow({ where: { slug } })).status).toBe("DRAFT");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Ouvrir les inscriptions" }).click();
  await expect(page.getByRole("button", { name: "Fermer les inscriptions" })).toBeVisible();
  expect((await db.edition.findUniqueOrThrow({ where: { slug } })).status).toBe("OPEN");
});
