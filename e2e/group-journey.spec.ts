import type { Page, TestInfo } from "@playwright/test";
import { signTicketCode, ticketKeysFrom } from "@/lib/tickets/codes";
import { account, signInAs } from "./support/back-office";
import { expect, test, uniqueEmail } from "./support/database";
import { orderLinkIn, waitForEmailTo } from "./support/mailbox";
import { LABELS } from "./support/registration-form";

/*
 * Issue 14's two journeys end to end, as people would live them: a buyer orders 3 tickets for a team with
 * one attendee to be named later (paid with 4242 in French on a phone; free in English), every email
 * arrives over SMTP, an attendee edits their own ticket from their own link, the buyer names the third,
 * cancels one (a partial refund when paid), and door staff check the group in.
 */

const WORDS = {
  fr: {
    groupOffer: "Inscrire plusieurs personnes (commande de groupe)",
    update: "Mettre à jour les billets",
    buyer: "Vos coordonnées (acheteur·se)",
    block: (position: number) => `Billet ${position} sur 3 : Standard`,
    itsMe: "C’est moi : je participe avec ce billet",
    later: "Je nommerai cette personne plus tard",
    order: "Commander 3 billets",
    card: ["Numéro de carte", "Expiration (MM/AA)", "CVC"],
    pay: /^Payer/,
    registered: "Vous êtes inscrit·e !",
    ticketSubject: (edition: string) => `Votre billet pour ${edition}`,
    details: "Vos coordonnées",
    saveDetails: "Enregistrer",
    saved: "Vos coordonnées sont enregistrées.",
    nameSubmit: "Enregistrer le participant",
    named: (email: string) => `Enregistré : le billet part vers ${email}.`,
    cancelOpen: "Annuler ce billet",
    cancelConfirm: "Oui, annuler le billet 2",
    refunded: /^Annulé, 49,00\s€ remboursés$/,
    code: "Code du billet (douchette ou clavier)",
    next: "Suivant",
    oneOfTwo: "1 sur 2 de cette commande est entré·e",
    twoOfTwo: "2 sur 2 de cette commande sont entré·e·s",
    admitOne: "Faire entrer 1 personne",
    admittedOne: "1 personne entrée.",
    counter: "2 / 2 arrivés",
    refundSubject: (edition: string) =>
      new RegExp(`^Votre remboursement pour un billet de ${edition}\\s:\\s49,00\\s€$`),
    cancelSubject: (edition: string) => `Un billet de votre commande pour ${edition} est annulé`,
  },
  en: {
    groupOffer: "Register several people (group order)",
    update: "Update the tickets",
    buyer: "Your details (buyer)",
    block: (position: number) => `Ticket ${position} of 3: Standard`,
    itsMe: "This is me: I attend with this ticket",
    later: "I’ll name this attendee later",
    order: "Order 3 tickets",
    card: ["Card number", "Expiry (MM/YY)", "CVC"],
    pay: /^Pay/,
    registered: "You are registered!",
    ticketSubject: (edition: string) => `Your ticket for ${edition}`,
    details: "Your details",
    saveDetails: "Save my details",
    saved: "Your details are saved.",
    nameSubmit: "Save the attendee",
    named: (email: string) => `Saved: the ticket is on its way to ${email}.`,
    cancelOpen: "Cancel this ticket",
    cancelConfirm: "Yes, cancel ticket 2",
    refunded: /^Cancelled, €49\.00 refunded$/,
    code: "Ticket code (barcode scanner or keyboard)",
    next: "Next",
    oneOfTwo: "1 of 2 of this order is in",
    twoOfTwo: "2 of 2 of this order are in",
    admitOne: "Admit 1 selected",
    admittedOne: "1 admitted.",
    counter: "2 / 2 checked in",
    refundSubject: (edition: string) => `Your refund for one ticket of ${edition}: €49.00`,
    cancelSubject: (edition: string) => `One ticket of your order for ${edition} is cancelled`,
  },
} as const;

type Person = { firstName: string; lastName: string; email: string; company?: string };

async function fillPerson(page: Page, block: string, locale: "fr" | "en", person: Person) {
  const group = page.getByRole("group", { name: block });
  const field = (name: string) => group.getByRole("textbox", { name, exact: true });
  await field(LABELS[locale].firstName).fill(person.firstName);
  await field(LABELS[locale].lastName).fill(person.lastName);
  await field(LABELS[locale].email).fill(person.email);
  if (person.company) await field(LABELS[locale].company).fill(person.company);
}

// Measured once the page is laid out with its own fonts, and until it settles (never by a fixed sleep).
async function expectFitsThePhone(page: Page) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect.poll(overflow, { message: page.url() }).toBeLessThanOrEqual(0);
}

const shot = (page: Page, info: TestInfo, name: string) =>
  page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });

function ticketLinkIn(text: string | undefined): string {
  const link = text?.match(/https?:\/\/\S+\/tickets\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error("no ticket link in the email");
  return new URL(link).pathname;
}

const JOURNEYS = [
  { locale: "fr", priceCents: 4900, phone: true },
  { locale: "en", priceCents: 0, phone: false },
] as const;

for (const { locale, priceCents, phone } of JOURNEYS) {
  const words = WORDS[locale];
  const paid = priceCents > 0;

  test.describe(`a team's order from the form to the door (${locale}, ${paid ? "paid" : "free"})`, () => {
    if (phone) test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

    test(`buys 3 with one named later, names, edits, cancels one and checks the group in (${locale})`, async ({
      page,
      context,
      baseURL,
      db,
      newEdition,
    }, info) => {
      const edition = await newEdition({ capacity: 10, ticketTypes: [{ code: "standard", priceCents }] });
      await db.ticketType.updateMany({
        where: { editionId: edition.id },
        data: { nameFr: "Standard", nameEn: "Standard" },
      });
      // A paid ticket may be cancelled for its price until a week before the edition.
      await db.edition.update({
        where: { id: edition.id },
        data: { refundDeadline: new Date("2027-05-13T22:00:00Z") },
      });
      const editionName = locale === "fr" ? edition.nameFr : edition.nameEn;
      const buyer = {
        firstName: "Jeanne",
        lastName: "Martin",
        email: uniqueEmail(`journey-buyer-${locale}`),
        company: "Acme",
      };
      const ada = { firstName: "Ada", lastName: "Lovelace", email: uniqueEmail(`journey-ada-${locale}`) };
      const grace = { firstName: "Grace", lastName: "Hopper", email: uniqueEmail(`journey-grace-${locale}`) };
      const click = (locator: ReturnType<Page["getByRole"]>) => (phone ? locator.tap() : locator.click());

      // 1. The order: 3 tickets, the buyer attends with the first, Ada has the second, the third is named later.
      await page.goto(`/${locale}/editions/${edition.slug}/register`);
      await page.getByText(words.groupOffer).click();
      await page.getByRole("combobox", { name: "Standard", exact: true }).selectOption("3");
      await click(page.getByRole("button", { name: words.update }));
      await fillPerson(page, words.buyer, locale, buyer);
      await page.getByRole("checkbox", { name: words.itsMe }).check();
      await fillPerson(page, words.block(2), locale, ada);
      await page
        .getByRole("group", { name: words.block(3) })
        .getByRole("checkbox", { name: words.later })
        .check();
      if (phone) await expectFitsThePhone(page);
      await shot(page, info, `${locale}-1-form`);
      await click(page.getByRole("button", { name: words.order }));

      if (paid) {
        await expect(page.locator(".total")).toContainText(locale === "fr" ? "147,00" : "147.00");
        const [number, expiry, cvc] = words.card;
        await page.getByLabel(number).fill("4242 4242 4242 4242");
        await page.getByLabel(expiry).fill("12/34");
        await page.getByLabel(cvc).fill("123");
        await click(page.getByRole("button", { name: words.pay }));
      }
      await expect(page.getByRole("heading", { level: 1, name: words.registered })).toBeVisible({ timeout: 15_000 });
      await expect(page.getByTestId("order-ticket-3")).toHaveAttribute("data-state", "unnamed");
      if (phone) await expectFitsThePhone(page);
      await shot(page, info, `${locale}-2-confirmed`);
      const order = await db.order.findFirstOrThrow({
        where: { buyerEmail: buyer.email },
        include: { tickets: { orderBy: { position: "asc" } } },
      });
      expect(order).toMatchObject({ status: "CONFIRMED", amountCents: 3 * priceCents, locale });
      expect(order.tickets.map((ticket) => ticket.email)).toEqual([buyer.email, ada.email, null]);

      // 2. Every email over SMTP: the buyer's order (with their own ticket), Ada's own ticket with her own link.
      const orderMail = await waitForEmailTo(buyer.email);
      expect(orderMail.text).toContain(order.reference);
      const orderPage = orderLinkIn(orderMail);
      const adaMail = await waitForEmailTo(ada.email, { subject: words.ticketSubject(editionName) });
      expect(adaMail.attachments.map((file) => file.contentType)).toContain("application/pdf");
      expect(adaMail.text).not.toContain(orderPage);

      // 3. Ada edits her own ticket from her link: her company, nothing else of the order is hers to see.
      await page.goto(ticketLinkIn(adaMail.text));
      await expect(page.locator("main")).not.toContainText(buyer.email);
      await page.getByText(words.details, { exact: true }).click();
      await page.getByRole("textbox", { name: LABELS[locale].company }).fill("Analytical Engines");
      await click(page.getByRole("button", { name: words.saveDetails }));
      await expect(page.getByText(words.saved)).toBeVisible();
      await expect(page.getByTestId("own-ticket-holder")).toContainText("Analytical Engines");
      if (phone) await expectFitsThePhone(page);
      await shot(page, info, `${locale}-3-own-ticket`);

      // 4. The buyer names the third attendee, who gets their ticket by email.
      await page.goto(orderPage);
      const third = page.getByTestId("order-ticket-3");
      await third.locator("#ticket-3-attendee-firstName").fill(grace.firstName);
      await third.locator("#ticket-3-attendee-lastName").fill(grace.lastName);
      await third.locator("#ticket-3-attendee-email").fill(grace.email);
      await click(third.getByRole("button", { name: words.nameSubmit }));
      await expect(third.getByText(words.named(grace.email))).toBeVisible();
      const graceMail = await waitForEmailTo(grace.email, { subject: words.ticketSubject(editionName) });
      expect(ticketLinkIn(graceMail.text)).toMatch(/\/tickets\//);

      // 5. The buyer cancels Ada's ticket: its price goes back to the card, the other two stay valid.
      await page.reload();
      const second = page.getByTestId("order-ticket-2");
      await second.getByText(words.cancelOpen).click();
      await click(second.getByRole("button", { name: words.cancelConfirm }));
      await expect(second).toHaveAttribute("data-state", "cancelled");
      if (paid) await expect(second.getByText(words.refunded)).toBeVisible();
      if (phone) await expectFitsThePhone(page);
      await shot(page, info, `${locale}-4-cancelled-one`);
      const afterCancel = await db.order.findUniqueOrThrow({
        where: { id: order.id },
        include: { refunds: true, tickets: { orderBy: { position: "asc" } } },
      });
      expect(afterCancel.status).toBe("CONFIRMED");
      expect(afterCancel.tickets.map((ticket) => ticket.status)).toEqual([
        "ACTIVE",
        paid ? "REFUNDED" : "CANCELLED",
        "ACTIVE",
      ]);
      expect(afterCancel.refunds.map((refund) => [refund.ticketId, refund.amountCents])).toEqual(
        paid ? [[order.tickets[1].id, priceCents]] : [],
      );
      await waitForEmailTo(buyer.email, {
        subject: paid ? words.refundSubject(editionName) : words.cancelSubject(editionName),
      });

      // 6. At the door, staff scan the buyer's ticket and let Grace in with it; Ada's cancelled ticket is not offered.
      const staff = await db.user.findUniqueOrThrow({ where: { email: account("CHECKIN_STAFF").email } });
      await db.editionStaff.create({ data: { editionId: edition.id, userId: staff.id } });
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
      await signInAs(context, "CHECKIN_STAFF");
      await page.goto(`/checkin/${edition.slug}`);
      const buyerTicket = afterCancel.tickets[0];
      const code = signTicketCode(
        { ticketId: buyerTicket.id, editionId: edition.id, codeVersion: buyerTicket.codeVersion },
        ticketKeysFrom(process.env.TICKET_SIGNING_KEY!).privateKey,
      );
      const field = page.getByLabel(words.code);
      await field.fill(code);
      await field.press("Enter");
      const answer = page.getByTestId("checkin-answer");
      await expect(answer).toHaveAttribute("data-result", "admitted");
      await expect(answer).toContainText("Jeanne Martin");
      await expect(answer).toContainText(words.oneOfTwo);
      await click(answer.getByRole("button", { name: words.next }));
      const panel = page.getByTestId("checkin-group-panel");
      await expect(panel.getByRole("checkbox")).toHaveCount(1);
      await panel.getByRole("checkbox", { name: /Grace Hopper/ }).check();
      await click(panel.getByRole("button", { name: words.admitOne }));
      await expect(panel.getByRole("alert")).toHaveText(words.admittedOne);
      await expect(panel.getByRole("heading", { level: 2 })).toHaveText(words.twoOfTwo);
      await expect(page.getByTestId("checkin-counter")).toHaveText(words.counter);
      if (phone) await expectFitsThePhone(page);
      await shot(page, info, `${locale}-5-door`);
      const scans = await db.checkInScan.findMany({ where: { editionId: edition.id }, orderBy: { receivedAt: "asc" } });
      expect(scans.map((scan) => [scan.ticketId, scan.result, scan.viaTicketId])).toEqual([
        [buyerTicket.id, "ADMITTED", null],
        [afterCancel.tickets[2].id, "ADMITTED", buyerTicket.id],
      ]);
    });
  });
}
