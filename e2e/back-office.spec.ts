import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./support/database";
import { account } from "./support/back-office";
import { waitForEmailTo } from "./support/mailbox";
import { fillAttendee, LABELS } from "./support/registration-form";

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.getByRole("textbox", { name: "Adresse e-mail" }).first().fill(email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
}

// A field's label, with or without the required mark after it.
const labelled = (name: string) => new RegExp(`^${name.replace(/[()]/g, "\\$&")}( \\*)?$`);

async function downloadText(page: Page, button: string) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: button }).click(),
  ]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

test.use({ locale: "fr-FR" });

test("an organiser sets up an edition, sees registrations arrive, filters, exports and refunds (fr)", async ({
  page,
  db,
}) => {
  test.setTimeout(120_000);
  page.on("dialog", (dialog) => void dialog.accept());
  const slug = `e2e-${Date.now().toString(36)}`;

  // Sign in: a wrong password is refused with a message, the right one opens the back office.
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await signInWithPassword(page, account("ORGANISER").email, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Adresse ou mot de passe incorrect." })).toBeVisible();
  await signInWithPassword(page, account("ORGANISER").email, account("ORGANISER").password);
  await expect(page.getByRole("heading", { level: 1, name: "Éditions" })).toBeVisible();

  // A new edition: bad input is refused field by field, what was typed stays.
  await page.getByRole("link", { name: "Nouvelle édition" }).click();
  const field = (name: string) => page.getByLabel(labelled(name));
  await field("Nom (français)").fill("Guichet E2E");
  await field("Nom (anglais)").fill("Guichet E2E");
  await field("Adresse (slug)").fill(slug);
  await field("Lieu").fill("La Cantine");
  await field("Adresse du lieu").fill("12 rue de la Paix, Paris");
  await field("Début").fill("2027-06-10T09:00");
  await field("Fin").fill("2027-06-10T08:00");
  await field("Capacité").fill("beaucoup");
  const reminderDays = field("Rappeler aux acheteurs de nommer les participants (jours avant)");
  await expect(reminderDays).toHaveValue("7");
  await reminderDays.fill("120");
  await page.getByRole("button", { name: "Créer l’édition" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Certains champs sont à corriger." })).toBeVisible();
  await expect(page.getByText("Saisissez un nombre entier, par exemple 300.")).toBeVisible();
  await expect(page.getByText("Saisissez un nombre de jours entre 1 et 90, ou laissez le champ vide")).toBeVisible();
  await reminderDays.fill("10");
  await expect(field("Lieu")).toHaveValue("La Cantine");
  await field("Capacité").fill("50");
  await page.getByRole("button", { name: "Créer l’édition" }).click();
  await expect(page.getByText("La fin doit venir après le début.")).toBeVisible();
  expect(await db.edition.count({ where: { slug } })).toBe(0);
  await field("Fin").fill("2027-06-10T18:00");
  await page.getByRole("button", { name: "Créer l’édition" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/editions/${slug}/settings$`));
  await expect(reminderDays).toHaveValue("10");
  expect((await db.edition.findUniqueOrThrow({ where: { slug } })).unnamedReminderDays).toBe(10);

  // Two ticket types and a question, then open registration.
  await page.getByRole("link", { name: "Billets" }).click();
  const newType = page.getByRole("region", { name: "Ajouter un type de billet" });
  const addType = async (nameFr: string, code: string, price: string) => {
    await newType.getByLabel(labelled("Nom (français)")).fill(nameFr);
    await newType.getByLabel(labelled("Nom (anglais)")).fill(nameFr);
    await newType.getByLabel(labelled("Code")).fill(code);
    await newType.getByLabel(labelled("Prix TTC")).fill(price);
    await newType.getByRole("button", { name: "Ajouter" }).click();
    await expect(page.getByRole("heading", { level: 3, name: new RegExp(`^${nameFr}`) })).toBeVisible();
  };
  await addType("Standard", "standard", "25");
  await addType("Communauté", "community", "0");
  await page.getByRole("link", { name: "Questions" }).click();
  const newQuestion = page.getByRole("region", { name: "Ajouter une question" });
  await newQuestion.getByLabel(labelled("Libellé (français)")).fill("Taille de t-shirt");
  await newQuestion.getByLabel(labelled("Libellé (anglais)")).fill("T-shirt size");
  await newQuestion.getByLabel(labelled("Clé")).fill("tshirt");
  await newQuestion.getByLabel(labelled("Type")).selectOption("SELECT");
  await newQuestion.getByLabel(labelled("Choix (liste)")).fill("m | M | M\nl | L | L");
  await newQuestion.getByRole("button", { name: "Ajouter" }).click();
  await expect(page.getByRole("heading", { level: 3, name: /Taille de t-shirt/ })).toBeVisible();
  await page.getByRole("link", { name: "Réglages" }).click();
  await page.getByRole("button", { name: "Ouvrir les inscriptions" }).click();
  await expect(page.getByRole("status").filter({ hasText: "L’édition est ouverte aux inscriptions." })).toBeVisible();

  // Two people register on the public site: one free, one paid by card.
  const attendee = await page.context().newPage();
  const freeEmail = uniqueEmail("bo-free");
  const paidEmail = uniqueEmail("bo-paid");
  for (const [ticket, email, size, lastName] of [
    ["community", freeEmail, "L", "Curie"],
    ["standard", paidEmail, "M", "Meitner"],
  ] as const) {
    await attendee.goto(`/fr/editions/${slug}/register?ticket=${ticket}`);
    await fillAttendee(attendee, "fr", { firstName: "Marie", lastName, email, company: "Radium SA" });
    await attendee.getByLabel("Taille de t-shirt").selectOption(size);
    await attendee.getByRole("button", { name: LABELS.fr.submit }).click();
    if (ticket === "standard") {
      await attendee.getByLabel("Numéro de carte").fill("4242 4242 4242 4242");
      await attendee.getByLabel("Expiration (MM/AA)").fill("12/34");
      await attendee.getByLabel("CVC").fill("123");
      await attendee.getByRole("button", { name: /^Payer/ }).click();
    }
    await expect(attendee.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible({
      timeout: 15_000,
    });
  }
  await attendee.close();

  // The dashboard counts them, from the same query as the public pages.
  await page.getByRole("link", { name: "Tableau de bord" }).click();
  await expect(page.getByTestId("seats-confirmed")).toHaveText("2");
  await expect(page.getByTestId("seats-left")).toHaveText("48");
  await expect(page.getByTestId("revenue-net")).toHaveText("25,00\u00a0€");

  // Filter and export: what is downloaded is what the filter shows.
  await page.getByRole("link", { name: "Participants" }).click();
  await expect(page.getByTestId("attendee-count")).toHaveText("2 participants");
  await page.getByLabel("Réponse").selectOption("tshirt=l");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page.getByTestId("attendee-count")).toHaveText("1 participant");
  const csv = await downloadText(page, "Télécharger en CSV");
  expect(csv.name).toMatch(new RegExp(`^${slug}-attendees-.*\\.csv$`));
  const lines = csv.bytes
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(lines[0]).toBe("Référence,Prénom,Nom,Email,Société,Billet,Statut,Taille de t-shirt");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`Marie,Curie,${freeEmail},Radium SA,Communauté,confirmed,L`);

  await page.getByRole("link", { name: "Tout afficher" }).click();
  await expect(page.getByTestId("attendee-count")).toHaveText("2 participants");
  const xlsx = await downloadText(page, "Télécharger en Excel (XLSX)");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
  const emails = workbook.worksheets[0].getColumn(4).values.slice(2);
  expect(emails.sort()).toEqual([freeEmail, paidEmail].sort());

  // Cancel the paid registration with a refund: Stripe refunds it, the seat comes back.
  await page.getByRole("link", { name: "Meitner Marie" }).click();
  await page.getByRole("button", { name: "Annuler et rembourser 25,00\u00a0€" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: "Inscription annulée et remboursée. Sa place est remise en vente, ou proposée à la liste" }),
  ).toBeVisible();
  await expect(page.getByText("Remboursé", { exact: true }).first()).toBeVisible();
  const order = await db.order.findFirstOrThrow({ where: { buyerEmail: paidEmail }, include: { refunds: true } });
  expect(order).toMatchObject({ status: "REFUNDED", refunds: [{ status: "SUCCEEDED", amountCents: 2500 }] });

  // Everything above is in the edition's audit log.
  await page.getByRole("link", { name: "Journal" }).click();
  for (const action of [
    "Édition créée",
    "Type de billet ajouté",
    "Question ajoutée",
    "Inscriptions ouvertes",
    "annulée et remboursée",
  ]) {
    await expect(page.getByRole("cell", { name: new RegExp(action) }).first()).toBeVisible();
  }
});

test("check-in staff are refused the back office after signing in", async ({ page }) => {
  await page.goto("/admin/sign-in");
  await signInWithPassword(page, account("CHECKIN_STAFF").email, account("CHECKIN_STAFF").password);
  await expect(page).toHaveURL(/\/admin\/forbidden$/);
  await expect(page.getByRole("heading", { level: 1, name: "Accès refusé" })).toBeVisible();
  await page.getByRole("link", { name: "Aller à l’accueil des participants" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Quelle édition ?" })).toBeVisible();
});

test("an email link signs an organiser in; an unknown address gets the same answer, no email, no token", async ({
  page,
  db,
}) => {
  await page.goto("/admin/sign-in");
  const linkForm = page.locator("form").filter({ hasText: "Avec un lien par e-mail" });
  await linkForm.getByLabel("Adresse e-mail").fill("nobody-here@example.org");
  await linkForm.getByRole("button", { name: "Recevoir un lien" }).click();
  const sent =
    "Si un compte existe pour cette adresse, un lien de connexion vient d’y être envoyé. Il est valable 10 minutes.";
  await expect(page.getByText(sent)).toBeVisible();
  await linkForm.getByLabel("Adresse e-mail").fill(account("ADMIN").email);
  await linkForm.getByRole("button", { name: "Recevoir un lien" }).click();
  await expect(page.getByText(sent)).toBeVisible();
  const mail = await waitForEmailTo(account("ADMIN").email, { subject: "Votre lien de connexion à Guichet" });
  expect(await db.verificationToken.count({ where: { identifier: "nobody-here@example.org" } })).toBe(0);
  const link = mail.text?.match(/https?:\/\/\S+\/api\/auth\/callback\/email\S+/)?.[0];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText(`${account("ADMIN").email} · administrateur`)).toBeVisible();
  await expect(page.getByRole("link", { name: "Utilisateurs" })).toBeVisible();
  // A link works once.
  await page.context().clearCookies();
  await page.goto(link!);
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau." }),
  ).toBeVisible();
});
