import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { expect, request as newRequestContext, test } from "@playwright/test";
import { upsertUser } from "@/lib/auth/users";
import { seatCounterDrift } from "@/lib/capacity/counters";
import { createPrismaClient, type Db } from "@/lib/db/prisma";
import { saveOrganiserProfile } from "@/lib/invoices/organiser-profile";
import { createEdition, organiserProfileForm } from "@/devtools/testing/fixtures";
import { startInstances, type Instance } from "./support/instances";
import { problemOf } from "./support/problem";
import { startStripeStandIn } from "./support/stripe-stand-in";

// Two instances on one database, started as deploy/guichet@.service starts them (docs/operations.md, "Several
// instances"). The registration challenge is off: 300 proof-of-work solutions would cost minutes, and
// lib/abuse/*.test.ts prove it. Each client is the X-Forwarded-For a proxy would send (TRUSTED_PROXY_HOPS=1).
let cluster: Awaited<ReturnType<typeof startInstances>>;
let db: Db;

// A Stripe stand-in of the cluster's own: the suite's one delivers its events to the suite's server. Its deliveries
// are caught here, so that the test hands each payment's signed event to the instance it chooses, when it chooses.
const STRIPE_KEY = "sk_test_two_instances";
const stripeEvents = new Map<string, { payload: string; signature: string }>();
let stripeLocal: Awaited<ReturnType<typeof startStripeStandIn>>;
let stripeReceiver: Server;
const METRICS_TOKEN = randomBytes(32).toString("hex");
const DAY = 86_400_000;
// The email workers poll their queues every few seconds: a wait for emails sent allows several rounds.
const SETTLING = { timeout: 30_000 };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  stripeReceiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const event = JSON.parse(body) as { type: string; data: { object: { id: string } } };
      // Refund events only echo what the refund's own answer recorded: not delivered.
      if (event.type === "checkout.session.completed")
        stripeEvents.set(event.data.object.id, {
          payload: body,
          signature: String(request.headers["stripe-signature"]),
        });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => stripeReceiver.listen(0, "127.0.0.1", resolve));
  const address = stripeReceiver.address();
  const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
  const receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  stripeLocal = await startStripeStandIn(receiverUrl, webhookSecret);
  cluster = await startInstances(2, {
    REGISTRATION_CHALLENGE: "off",
    REGISTRATIONS_PER_CLIENT_PER_HOUR: "6",
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: stripeLocal.url,
    METRICS_TOKEN,
  });
  db = createPrismaClient(cluster.databaseUrl, 2);
  // Bank details on the quote: transfers are offered only with them.
  const admin = await upsertUser(db, { email: `admin.${randomUUID().slice(0, 8)}@example.org`, role: "ADMIN" });
  expect(await saveOrganiserProfile(db, admin, organiserProfileForm())).toMatchObject({ ok: true });
});

test.afterAll(async () => {
  await db?.$disconnect();
  await cluster?.stop();
  await stripeLocal?.stop();
  await new Promise((resolve) => stripeReceiver?.close(resolve));
});

const attendee = (label: string) => ({
  firstName: "Ada",
  lastName: label,
  email: `${label}.${randomUUID().slice(0, 8)}@example.org`,
});

async function register(baseUrl: string, slug: string, body: unknown, client: string) {
  const response = await fetch(`${baseUrl}/api/v1/editions/${slug}/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": client },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("a rush over both instances never oversells, and the counters equal the recount", async () => {
  test.setTimeout(120_000);
  const edition = await createEdition(db, {
    capacity: 120,
    ticketTypes: [{ code: "free" }, { code: "paid", priceCents: 4900 }],
  });
  const [a, b] = cluster.instances;
  // Groups of 1 to 3, free and paid, alternately to each instance, each from a client of its own.
  const attempts = Array.from({ length: 300 }, (_, i) => {
    const size = 1 + (i % 3);
    const ticketType = i % 2 === 0 ? "free" : "paid";
    const body =
      size === 1
        ? { ticketType, attendee: attendee(`rush${i}`), locale: "en" }
        : {
            buyer: attendee(`buyer${i}`),
            locale: "en",
            tickets: Array.from({ length: size }, (_, k) => ({ ticketType, attendee: attendee(`rush${i}-${k}`) })),
          };
    return { size, instance: i % 2 === 0 ? a : b, body, client: `10.${Math.floor(i / 250)}.${i % 250}.1` };
  });
  const answers: { size: number; status: number; body: Record<string, unknown> }[] = [];
  let next = 0;
  // 40 at a time.
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      while (next < attempts.length) {
        const attempt = attempts[next++];
        const answer = await register(attempt.instance.baseUrl, edition.slug, attempt.body, attempt.client);
        answers.push({ size: attempt.size, ...answer });
      }
    }),
  );

  expect(answers).toHaveLength(300);
  const refused = answers.filter((answer) => answer.status !== 201);
  for (const answer of refused) expect([answer.status, answer.body.code]).toEqual([409, "sold_out"]);
  expect(refused.length).toBeGreaterThan(0);
  const granted = answers.filter((answer) => answer.status === 201).reduce((sum, answer) => sum + answer.size, 0);
  expect(granted).toBeLessThanOrEqual(120);
  const seats = await db.editionSeats.findUniqueOrThrow({ where: { editionId: edition.id } });
  expect(seats.confirmed + seats.held).toBe(granted);
  expect(await seatCounterDrift(db, edition.id)).toEqual([]);
  const live = await db.ticket.count({
    where: { editionId: edition.id, status: "ACTIVE", order: { status: { in: ["CONFIRMED", "PENDING"] } } },
  });
  expect(live).toBe(granted);
});

/** The kinds of the emails the SMTP capture received, by recipient: each message's id is `<outbox id@guichet>`. */
async function capturedKinds(): Promise<Map<string, string[]>> {
  const { messages, envelopes } = cluster.smtp;
  const outboxIds = messages.map((message) => /^<([0-9a-f-]{36})@guichet>$/.exec(message.messageId ?? "")?.[1] ?? "");
  const rows = await db.emailOutbox.findMany({
    where: { id: { in: outboxIds.filter(Boolean) } },
    select: { id: true, kind: true },
  });
  const kindOf = new Map(rows.map((row) => [row.id, row.kind]));
  const byAddress = new Map<string, string[]>();
  outboxIds.forEach((id, i) => {
    for (const address of envelopes[i].rcptTo)
      byAddress.set(address, [...(byAddress.get(address) ?? []), kindOf.get(id) ?? "unknown"]);
  });
  return byAddress;
}

async function deliverToB(sessionId: string): Promise<{ status: number; outcome: unknown }> {
  const event = stripeEvents.get(sessionId)!;
  const response = await fetch(`${cluster.instances[1].baseUrl}/api/stripe/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": event.signature },
    body: event.payload,
  });
  return { status: response.status, outcome: ((await response.json()) as { outcome?: unknown }).outcome };
}

/** The refunds the Stripe stand-in made on a payment. */
async function stripeRefunds(paymentIntentId: string | null): Promise<number> {
  if (!paymentIntentId) return 0;
  const response = await fetch(`${stripeLocal.url}/v1/refunds?payment_intent=${paymentIntentId}`, {
    headers: { authorization: `Bearer ${STRIPE_KEY}` },
  });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

test("a late payment delivered to one instance while both sweep holds: kept with its seat or refunded", async () => {
  test.setTimeout(90_000);
  const edition = await createEdition(db, {
    capacity: 12,
    ticketTypes: [{ code: "paid", priceCents: 4900 }, { code: "free" }],
  });
  const [a, b] = cluster.instances;
  let client = 0;
  const placeFree = async () => {
    client += 1;
    const body = { ticketType: "free", attendee: attendee(`filler${client}`), locale: "en" };
    return register(a.baseUrl, edition.slug, body, `192.0.2.${100 + client}`);
  };

  // 12 paid orders fill the edition, each paid on the stand-in's checkout page; their events are held back.
  const orders = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const person = attendee(`late${i}`);
      const body = { ticketType: "paid", attendee: person, locale: "en" };
      const placed = await register([a, b][i % 2].baseUrl, edition.slug, body, `192.0.2.${i + 1}`);
      expect(placed.status).toBe(201);
      const checkoutUrl = String(placed.body.checkoutUrl);
      const paid = await fetch(`${checkoutUrl}/pay`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ cardNumber: "4242 4242 4242 4242", expiry: "12/34", cvc: "123", name: "Ada" }),
        redirect: "manual",
      });
      expect(paid.status).toBe(303);
      return { id: String(placed.body.orderId), email: person.email, sessionId: checkoutUrl.split("/").pop()! };
    }),
  );
  await expect.poll(() => orders.filter((order) => stripeEvents.has(order.sessionId)).length).toBe(12);
  // Every hold lapses at once, and both instances' hold sweeps (every second) start releasing them.
  const ids = orders.map((order) => order.id);
  await db.$executeRaw`UPDATE "Order" SET "holdExpiresAt" = now() - interval '1 second' WHERE id = ANY(${ids}::uuid[])`;

  // Four payments arrive while the sweeps run: released or not, their seats are free, so each is kept.
  const early = orders.slice(0, 4);
  const late = orders.slice(4);
  const earlyAnswers = await Promise.all(early.map((order) => deliverToB(order.sessionId)));
  expect(earlyAnswers).toEqual(early.map(() => ({ status: 200, outcome: "confirmed_late" })));

  // Once the sweeps have released the other eight, registrations take five of their seats; then the eight payments
  // and two more registrations go for the last three at once.
  await expect
    .poll(() => db.order.count({ where: { id: { in: late.map((order) => order.id) }, status: "EXPIRED" } }), {
      timeout: 15_000,
    })
    .toBe(8);
  for (let i = 0; i < 5; i++) expect((await placeFree()).status).toBe(201);
  const [lateAnswers, fillers] = await Promise.all([
    Promise.all(late.map((order) => deliverToB(order.sessionId))),
    Promise.all([placeFree(), placeFree()]),
  ]);
  for (const answer of lateAnswers) {
    expect(answer.status).toBe(200);
    expect(["confirmed_late", "refund_due"]).toContain(answer.outcome);
  }
  const kept = lateAnswers.filter((answer) => answer.outcome === "confirmed_late").length;
  const placed = fillers.filter((filler) => filler.status === 201).length;
  for (const filler of fillers) if (filler.status !== 201) expect(filler.body.code).toBe("sold_out");
  // Two registrations cannot take three seats: at least one payment keeps one, and at least five are refunded.
  expect(kept + placed).toBe(3);
  expect(kept).toBeGreaterThanOrEqual(1);

  // Every email sent and every refund made before the outcome of each order is read.
  const outcomes = [...earlyAnswers, ...lateAnswers].map((answer) => answer.outcome);
  const refunded = outcomes.filter((outcome) => outcome === "refund_due").length;
  await expect.poll(() => db.emailOutbox.count({ where: { orderId: { in: ids }, status: "SENT" } }), SETTLING).toBe(12);
  await expect
    .poll(() => db.refund.count({ where: { orderId: { in: ids }, status: "SUCCEEDED" } }), SETTLING)
    .toBe(refunded);
  expect(await db.emailOutbox.count({ where: { orderId: { in: ids } } })).toBe(12);
  const mail = await capturedKinds();
  const settled = await Promise.all(
    [...early, ...late].map(async (order) => {
      const row = await db.order.findUniqueOrThrow({
        where: { id: order.id },
        select: { status: true, paymentIntentId: true, refunds: { select: { reason: true, status: true } } },
      });
      return {
        status: row.status,
        refunds: row.refunds,
        stripeRefunds: await stripeRefunds(row.paymentIntentId),
        emails: mail.get(order.email) ?? [],
      };
    }),
  );
  expect(settled).toEqual(
    outcomes.map((outcome) =>
      outcome === "confirmed_late"
        ? { status: "CONFIRMED", refunds: [], stripeRefunds: 0, emails: ["order_confirmation"] }
        : {
            status: "REFUNDED",
            refunds: [{ reason: "late_payment_no_seat", status: "SUCCEEDED" }],
            stripeRefunds: 1,
            emails: ["order_refunded"],
          },
    ),
  );
  expect(await db.orphanPayment.count()).toBe(0);
  const seats = await db.editionSeats.findUniqueOrThrow({ where: { editionId: edition.id } });
  expect([seats.confirmed, seats.held]).toEqual([12, 0]);
  expect(await seatCounterDrift(db, edition.id)).toEqual([]);
});

/** How many runs of `sweep` have ended well on `instance`, from its own metrics (SweepRun keeps the last run only). */
async function sweepsDone(instance: Instance, sweep: string): Promise<number> {
  const response = await fetch(`${instance.baseUrl}/api/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const line = (await response.text())
    .split("\n")
    .find(
      (text) =>
        text.startsWith("guichet_sweep_duration_seconds_count{") &&
        text.includes(`sweep="${sweep}"`) &&
        text.includes('outcome="ok"'),
    );
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

test("messages, practical information and reminders leave once, however many sweeps both instances run", async () => {
  test.setTimeout(90_000);
  const [a, b] = cluster.instances;
  const soon = new Date(Date.now() + 3 * DAY);
  const inThreeDays = { startsAt: soon, endsAt: new Date(soon.getTime() + 8 * 3_600_000) };
  let client = 0;
  const place = async (slug: string, body: Record<string, unknown>) => {
    client += 1;
    const answer = await register([a, b][client % 2].baseUrl, slug, body, `203.0.113.${client}`);
    expect(answer.status).toBe(201);
    return answer.body;
  };

  // 30 attendees of an edition in three days: a message to them all, scheduled now, and its practical information due.
  const messaged = await createEdition(db, { capacity: 40 });
  await db.edition.update({ where: { id: messaged.id }, data: inThreeDays });
  const attendees = Array.from({ length: 30 }, (_, i) => attendee(`news${i}`));
  for (let i = 0; i < attendees.length; i += 10)
    await Promise.all(
      attendees
        .slice(i, i + 10)
        .map((person) => place(messaged.slug, { ticketType: "free", attendee: person, locale: "en" })),
    );
  await db.edition.update({ where: { id: messaged.id }, data: { practicalInfoDays: 5 } });
  await db.message.create({
    data: {
      editionId: messaged.id,
      audience: "ATTENDEES",
      subjectEn: "News",
      bodyEn: "Hello",
      status: "SCHEDULED",
      sendAt: new Date(),
    },
  });

  // 5 buyers of tickets to name, the edition within its 7 days of reminders.
  const naming = await createEdition(db, { capacity: 20 });
  await db.edition.update({ where: { id: naming.id }, data: inThreeDays });
  const buyers = Array.from({ length: 5 }, (_, i) => attendee(`buyer${i}`));
  for (const buyer of buyers)
    await place(naming.slug, { buyer, locale: "en", tickets: [{ ticketType: "free", attendee: null }] });

  // 3 orders to pay by transfer; once their quotes are out, the deadline comes within the first reminder's 3 days.
  const transfers = await createEdition(db, { capacity: 20, ticketTypes: [{ code: "paid", priceCents: 4900 }] });
  await db.edition.update({ where: { id: transfers.id }, data: { transferDays: 14 } });
  const payers = Array.from({ length: 3 }, (_, i) => attendee(`payer${i}`));
  const transferOrders: string[] = [];
  for (const payer of payers) {
    const body = { ticketType: "paid", attendee: payer, locale: "en", paymentMethod: "transfer" };
    transferOrders.push(String((await place(transfers.slug, body)).orderId));
  }
  await expect
    .poll(
      () =>
        db.emailOutbox.count({ where: { orderId: { in: transferOrders }, kind: "transfer_quote", status: "SENT" } }),
      SETTLING,
    )
    .toBe(3);
  await db.$executeRaw`
    UPDATE "Order" SET "createdAt" = now() - interval '12 days', "holdExpiresAt" = now() + interval '60 hours'
    WHERE id = ANY(${transferOrders}::uuid[])`;

  const expected: Record<string, string[]> = {
    message: attendees.map((person) => person.email),
    practical_info: attendees.map((person) => person.email),
    unnamed_reminder: buyers.map((buyer) => buyer.email),
    transfer_reminder: payers.map((payer) => payer.email),
  };
  const kinds = Object.keys(expected);
  const everyone = [...attendees, ...buyers, ...payers].map((person) => person.email);
  const sentOf = () =>
    db.emailOutbox.count({ where: { toAddress: { in: everyone }, kind: { in: kinds }, status: "SENT" } });
  await expect.poll(sentOf, SETTLING).toBe(30 + 30 + 5 + 3);

  // Two more runs of each of these sweeps on each instance, counted by the instance itself.
  const sweeps = ["messages", "unnamed-reminders", "transfer-reminders"];
  const runs = () => Promise.all(cluster.instances.flatMap((instance) => sweeps.map((s) => sweepsDone(instance, s))));
  const before = await runs();
  expect(Math.min(...before)).toBeGreaterThan(0);
  await expect
    .poll(async () => (await runs()).every((count, i) => count >= before[i] + 2), { timeout: 30_000 })
    .toBe(true);

  expect(await db.emailOutbox.count({ where: { toAddress: { in: everyone }, kind: { in: kinds } } })).toBe(68);
  expect(await sentOf()).toBe(68);
  const mail = await capturedKinds();
  for (const kind of kinds) {
    const received = expected[kind].map((address) => (mail.get(address) ?? []).filter((k) => k === kind).length);
    expect({ kind, received }).toEqual({ kind, received: expected[kind].map(() => 1) });
  }
  // Nothing else went twice to anyone of this test either (confirmations, quotes).
  for (const address of everyone) {
    const got = mail.get(address) ?? [];
    expect(got).toEqual([...new Set(got)]);
  }
});

test("a session opened on one instance is valid on the other, and signing out on either ends it", async ({ page }) => {
  const email = `admin.${randomUUID().slice(0, 8)}@example.org`;
  const password = `pw-${randomUUID()}`;
  await upsertUser(db, { email, role: "ADMIN", password });
  const [a, b] = cluster.instances;

  await page.goto(`${a.baseUrl}/admin/sign-in`);
  await page.locator("#password-email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Editions" })).toBeVisible();

  await page.goto(`${b.baseUrl}/admin`);
  await expect(page).toHaveURL(`${b.baseUrl}/admin`);
  await expect(page.getByRole("heading", { name: "Editions" })).toBeVisible();

  // The cookie as a client that kept it would send it to A after signing out on B.
  const [cookie] = (await page.context().cookies(a.baseUrl)).filter((c) => c.name === "next-auth.session-token");
  expect(cookie).toBeDefined();
  const kept = await newRequestContext.newContext({
    extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` },
  });
  try {
    expect((await kept.get(`${a.baseUrl}/admin`, { maxRedirects: 0 })).status()).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${b.baseUrl}/admin/sign-in`);
    const afterSignOut = await kept.get(`${a.baseUrl}/admin`, { maxRedirects: 0 });
    expect(afterSignOut.status()).toBe(307);
    expect(afterSignOut.headers().location).toContain("/admin/sign-in");
  } finally {
    await kept.dispose();
  }
});

test("one client's registration limit is shared by both instances", async () => {
  const edition = await createEdition(db, { capacity: 50 });
  const [a, b] = cluster.instances;
  const client = "198.51.100.77";
  const statuses: number[] = [];
  let lastRefusal: Record<string, unknown> | undefined;
  for (const instance of [a, a, a, a, b, b, b, b]) {
    const answer = await register(
      instance.baseUrl,
      edition.slug,
      { ticketType: "free", attendee: attendee("limit"), locale: "en" },
      client,
    );
    statuses.push(answer.status);
    if (answer.status !== 201) lastRefusal = answer.body;
  }
  expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429, 429]);
  expect(lastRefusal).toEqual(problemOf(429, "rate_limited"));
});
