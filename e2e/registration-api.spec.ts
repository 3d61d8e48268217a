import { DEMO_EDITION, expect, test, uniqueEmail } from "./support/database";
import { problemOf } from "./support/problem";

const attendee = (label: string) => ({ firstName: "Api", lastName: "Client", email: uniqueEmail(label) });

test("GET an edition returns its ticket types and live availability", async ({ request }) => {
  const response = await request.get(`/api/v1/editions/${DEMO_EDITION}`);
  expect(response.status()).toBe(200);
  const edition = await response.json();
  expect(edition).toMatchObject({
    slug: DEMO_EDITION,
    status: "open",
    currency: "EUR",
    capacity: 300,
    timeZone: "Europe/Paris",
  });
  const standard = edition.ticketTypes.find((type: { code: string }) => type.code === "standard");
  expect(standard).toMatchObject({ priceCents: 4900, saleState: "on_sale", name: { fr: "Standard", en: "Standard" } });
  expect(edition.questions.map((q: { key: string }) => q.key)).toEqual(["tshirt", "diet", "coc"]);
  expect((await request.get("/api/v1/editions/nope")).status()).toBe(404);
});

test("POST a registration: 201, then 409 for the same email, the order page works", async ({ request, page }) => {
  const body = {
    ticketType: "community",
    attendee: attendee("api"),
    answers: { coc: true, tshirt: "l" },
    locale: "fr",
  };
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, { data: body });
  expect(created.status()).toBe(201);
  const order = await created.json();
  expect(order).toMatchObject({ status: "confirmed", amountCents: 0, currency: "EUR", holdExpiresAt: null });
  expect(order.reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  const again = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, { data: body });
  expect(again.status()).toBe(409);
  // The refusal says so (docs/api.md) and points to "lost ticket", which answers alike for any address.
  const refusal = await again.json();
  expect(refusal).toEqual(
    problemOf(409, "already_registered", {
      lostTicketUrl: expect.stringMatching(new RegExp(`/fr/editions/${DEMO_EDITION}#lost-ticket$`)),
      positions: [1],
    }),
  );
  await page.goto(new URL(refusal.lostTicketUrl).pathname);
  await expect(page.getByRole("heading", { level: 2, name: "Billet perdu ?" })).toBeVisible();

  await page.goto(new URL(order.confirmationUrl).pathname);
  await expect(page.getByRole("heading", { level: 1, name: "Vous êtes inscrit·e !" })).toBeVisible();
});

test("POST a group: every ticket in one order, or a refusal that says how many are left or which ticket", async ({
  request,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 4,
    ticketTypes: [{ code: "standard", priceCents: 4900 }, { code: "speaker" }],
  });
  const url = `/api/v1/editions/${edition.slug}/registrations`;
  const buyer = { firstName: "Grace", lastName: "Hopper", email: uniqueEmail("buyer"), company: "Navy" };
  const ticket = (ticketType: string, label: string) => ({ ticketType, attendee: attendee(label) });

  const created = await request.post(url, {
    data: {
      buyer,
      locale: "en",
      tickets: [ticket("standard", "g1"), ticket("speaker", "g2"), ticket("standard", "g3")],
    },
  });
  expect(created.status()).toBe(201);
  expect(await created.json()).toMatchObject({
    status: "pending",
    amountCents: 9800,
    checkoutUrl: expect.stringMatching(/\/checkout\/cs_test_/),
    tickets: [
      { position: 1, ticketType: "standard", priceCents: 4900 },
      { position: 2, ticketType: "speaker", priceCents: 0 },
      { position: 3, ticketType: "standard", priceCents: 4900 },
    ],
  });

  const tooMany = await request.post(url, {
    data: { buyer, tickets: [ticket("speaker", "g4"), ticket("speaker", "g5")] },
  });
  expect(tooMany.status()).toBe(409);
  expect(await tooMany.json()).toEqual(problemOf(409, "sold_out", { left: 1, ticketTypes: { speaker: 1 } }));

  const same = uniqueEmail("twice");
  const twice = await request.post(url, {
    data: {
      buyer,
      tickets: [
        { ticketType: "speaker", attendee: { ...attendee("a"), email: same } },
        { ticketType: "speaker", attendee: { ...attendee("b"), email: same } },
      ],
    },
  });
  expect(twice.status()).toBe(422);
  expect((await twice.json()).fieldErrors).toEqual({
    "tickets.1.attendee.email": [
      { code: "duplicate_attendee_email", message: expect.stringContaining("each attendee has their own ticket") },
    ],
  });
  // The last seat still goes to a group of one.
  expect((await request.post(url, { data: { buyer, tickets: [ticket("speaker", "g6")] } })).status()).toBe(201);
});

test("POST a paid registration holds the seat until the hold expires", async ({ request }) => {
  const created = await request.post(`/api/v1/editions/${DEMO_EDITION}/registrations`, {
    data: { ticketType: "standard", attendee: attendee("paid"), answers: { coc: true } },
  });
  expect(created.status()).toBe(201);
  const order = await created.json();
  expect(order).toMatchObject({ status: "pending", amountCents: 4900 });
  expect(order.checkoutUrl).toMatch(/\/checkout\/cs_test_/);
  const minutes = (Date.parse(order.holdExpiresAt) - Date.now()) / 60_000;
  expect(minutes).toBeGreaterThan(34);
  expect(minutes).toBeLessThanOrEqual(35);
});

test("POST bad input: 422 with messages per field in the requested language, nothing written", async ({
  request,
  db,
  newEdition,
}) => {
  const edition = await newEdition({
    capacity: 10,
    questions: [
      { key: "tshirt", type: "SELECT", options: [{ value: "m", labelFr: "M", labelEn: "M" }] },
      { key: "coc", type: "CHECKBOX", required: true },
    ],
  });
  const response = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
    data: {
      ticketType: "no-such-type",
      attendee: { firstName: "", lastName: 42, email: "x@" },
      answers: { tshirt: "xxxl" },
      locale: "fr",
    },
  });
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.error).toBe("invalid");
  expect(body.fieldErrors["attendee.firstName"]).toEqual([{ code: "required", message: "Ce champ est obligatoire." }]);
  expect(body.fieldErrors["attendee.lastName"][0].code).toBe("invalid_type");
  expect(body.fieldErrors["attendee.email"][0].code).toBe("invalid_email");
  expect(body.fieldErrors["answers.tshirt"][0].code).toBe("invalid_choice");
  expect(body.fieldErrors["answers.coc"][0].code).toBe("must_accept");
  expect(await db.order.count({ where: { editionId: edition.id } })).toBe(0);
});

test("POST refuses what is not a JSON registration, and unknown or closed editions", async ({ request }) => {
  const url = `/api/v1/editions/${DEMO_EDITION}/registrations`;
  const malformed = await request.post(url, {
    headers: { "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(malformed.status()).toBe(400);
  expect(await malformed.json()).toEqual(problemOf(400, "invalid_json"));
  const form = await request.post(url, { form: { ticketType: "community" } });
  expect(form.status()).toBe(415);
  const huge = await request.post(url, {
    data: { ticketType: "community", attendee: attendee("huge"), padding: "x".repeat(70_000) },
  });
  expect(huge.status()).toBe(413);
  const notFound = await request.post("/api/v1/editions/nope/registrations", {
    data: { ticketType: "standard", attendee: attendee("nope") },
  });
  expect(notFound.status()).toBe(404);
  const closed = await request.post("/api/v1/editions/open-cloud-paris-11/registrations", {
    data: { ticketType: "standard", attendee: attendee("closed") },
  });
  expect(closed.status()).toBe(409);
  expect(await closed.json()).toEqual(problemOf(409, "edition_closed"));
});
