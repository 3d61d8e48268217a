import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { orderLinkIn, waitForEmailTo } from "./support/mailbox";

test("manages a registration from the email's link: edit, files, transfer, cancel (en)", async ({ page, request }) => {
  const email = uniqueEmail("self");
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "community",
      attendee: { firstName: "Mary", lastName: "Jackson", email },
      answers: { coc: true },
      locale: "en",
    },
  });
  expect(created.status()).toBe(201);

  const link = orderLinkIn(await waitForEmailTo(email));
  await page.goto(link);
  await expect(page.getByRole("img", { name: "QR code of Mary Jackson's ticket" })).toBeVisible();

  // Edit details, with a bad value first.
  await page.getByText("Your details", { exact: true }).click();
  await page.getByRole("textbox", { name: "Last name", exact: true }).fill("");
  await page.getByRole("button", { name: "Save my details" }).click();
  await expect(page.getByRole("textbox", { name: "Last name", exact: true })).toHaveAccessibleDescription(
    "This field is required.",
  );
  await page.getByRole("textbox", { name: "Last name", exact: true }).fill("Jackson-Smith");
  await page.getByRole("button", { name: "Save my details" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your details are saved." })).toBeVisible();
  await page.reload();
  await expect(page.locator(".summary")).toContainText("Mary Jackson-Smith");

  // The PDF ticket and the calendar file.
  const pdf = await request.get(`${link}/ticket.pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const ics = await request.get(`${link}/calendar.ics`);
  expect(await ics.text()).toContain("SUMMARY:Open Cloud Paris #12");

  // Transfer to a colleague: the old link dies, the colleague gets their own.
  const colleague = uniqueEmail("colleague");
  await page.getByText("Give your ticket to someone else").click();
  await page.locator("#transfer-attendee-firstName").fill("Dorothy");
  await page.locator("#transfer-attendee-lastName").fill("Vaughan");
  await page.locator("#transfer-attendee-email").fill(colleague);
  await page.getByRole("button", { name: "Transfer the ticket" }).click();
  await expect(page.getByText(`Ticket transferred to ${colleague}.`)).toBeVisible();
  expect((await page.goto(link))?.status()).toBe(404);
  const notice = await waitForEmailTo(email, { subject: "Your ticket for Open Cloud Paris #12 was transferred" });
  expect(notice.text).toContain(`now belongs to Dorothy Vaughan (${colleague})`);

  const received = await waitForEmailTo(colleague);
  expect(received.subject).toBe("A ticket for Open Cloud Paris #12 was transferred to you");
  await page.goto(orderLinkIn(received));
  await expect(page.getByRole("img", { name: "QR code of Dorothy Vaughan's ticket" })).toBeVisible();

  // The new holder cancels: the seat is released.
  await page.getByText("Cancel your registration").click();
  await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "This registration is cancelled" })).toBeVisible();
  await expect(page.getByText("You cancelled this registration.")).toBeVisible();
});

test("a forged or stale link gets a 404, never someone else's registration", async ({ page }) => {
  for (const token of ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not-a-token", "../../etc/passwd"]) {
    const response = await page.goto(`/fr/orders/${encodeURIComponent(token)}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page introuvable" })).toBeVisible();
  }
  expect((await page.request.get("/fr/orders/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/ticket.pdf")).status()).toBe(404);
});

test("'lost my ticket' sends the link again, with the same answer for an unknown address (fr)", async ({
  page,
  request,
}) => {
  const email = uniqueEmail("lost");
  await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "community",
      attendee: { firstName: "Lise", lastName: "Meitner", email },
      answers: { coc: true },
      locale: "fr",
    },
  });
  await waitForEmailTo(email);
  const sent =
    "Si cette adresse a un billet pour cette édition, nous venons de l’envoyer. " +
    "Regardez votre boîte de réception, et vos indésirables.";

  await page.goto(`/fr/editions/${DEMO_EDITION}`);
  await page.getByRole("textbox", { name: "E-mail", exact: true }).fill("pas-une-adresse");
  await page.getByRole("button", { name: "Renvoyer mon billet" }).click();
  await expect(page.getByRole("textbox", { name: "E-mail", exact: true })).toHaveAccessibleDescription(
    /adresse e-mail valide/,
  );

  await page.getByRole("textbox", { name: "E-mail", exact: true }).fill(uniqueEmail("unknown"));
  await page.getByRole("button", { name: "Renvoyer mon billet" }).click();
  await expect(page.getByRole("status").filter({ hasText: sent })).toBeVisible();

  await page.getByRole("textbox", { name: "E-mail", exact: true }).fill(email);
  await page.getByRole("button", { name: "Renvoyer mon billet" }).click();
  await expect(page.getByRole("status").filter({ hasText: sent })).toBeVisible();
  const resent = await waitForEmailTo(email, { subject: "Votre billet pour Open Cloud Paris #12", nth: 2 });
  expect(orderLinkIn(resent)).toMatch(/^\/fr\/orders\//);
});

test("a returning attendee gets their details filled in, after a link sent to their mailbox (en)", async ({
  page,
  request,
  newEdition,
}) => {
  const email = uniqueEmail("returning");
  await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: {
      ticketType: "community",
      attendee: { firstName: "Chien-Shiung", lastName: "Wu", email, company: "Columbia" },
      answers: { coc: true },
      locale: "en",
    },
  });
  const next = await newEdition({ capacity: 10 });
  await page.goto(`/en/editions/${next.slug}/register`);
  await expect(page.getByRole("textbox", { name: "First name", exact: true })).toHaveValue("");
  await page.locator("#returning-email").fill(email);
  await page.getByRole("button", { name: "Email me the link" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "If this address has registered before, a link is on its way." }),
  ).toBeVisible();
  // Typing the address shows nothing; the details come only through the mailbox.
  await expect(page.getByRole("textbox", { name: "Last name", exact: true })).toHaveValue("");

  const mail = await waitForEmailTo(email, { subject: "Your details, ready for your next registration" });
  const link = mail.text?.match(/https?:\/\/\S+prefill=\S+/)?.[0];
  expect(link).toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(page.getByRole("textbox", { name: "First name", exact: true })).toHaveValue("Chien-Shiung");
  await expect(page.getByRole("textbox", { name: "Company or organisation (optional)", exact: true })).toHaveValue(
    "Columbia",
  );
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are registered!" })).toBeVisible();
});
