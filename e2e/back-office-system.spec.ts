import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Db } from "@/lib/db/prisma";
import { expect, test, uniqueEmail } from "./support/database";
import { signInAs } from "./support/back-office";

const WORDS = {
  fr: {
    nav: "Tâches de fond",
    email: "E-mails",
    waiting: /^En attente depuis 15 minutes ou plus/,
    order: "Commande",
    refunds: /^Remboursements à suivre/,
    orphan: "Paiement sans place",
    sweeps: "Balayages",
    transferReminders: "Relances de virement",
    late: "en retard",
    never: "jamais",
    webhooks: /^Événements Stripe en échec/,
  },
  en: {
    nav: "Background work",
    email: "Emails",
    waiting: /^Waiting for 15 minutes or more/,
    order: "Order",
    refunds: /^Refunds to follow up/,
    orphan: "Payment without a seat",
    sweeps: "Sweeps",
    transferReminders: "Bank transfer reminders",
    late: "late",
    never: "never",
    webhooks: /^Stripe events failing/,
  },
};

/**
 * What the page must show, written as the workers would have left it: an email waiting two days (its job held back,
 * so neither the worker nor the re-drive sends it meanwhile), a payment to give back, the transfer reminders failing
 * since it started (a sweep of every 10 minutes: no run overwrites the row during the test), and a Stripe event
 * answered 500.
 */
async function leaveWorkUndone(db: Db, order: { id: string; reference: string }) {
  const outboxId = randomUUID();
  const tag = outboxId.slice(0, 8);
  await db.$executeRaw`
    INSERT INTO "EmailOutbox" (id, "dedupeKey", kind, "orderId", "toAddress", locale, status, "queuedAt")
    VALUES (${outboxId}::uuid, ${`e2e-system:${outboxId}`}, 'order_confirmation', ${order.id}::uuid,
            ${uniqueEmail("system")}, 'en', 'PENDING', now() - interval '2 days')`;
  await db.$executeRaw`
    INSERT INTO pgboss.job (name, data, singleton_key, start_after)
    VALUES ('email.send', ${JSON.stringify({ outboxId })}::jsonb, ${outboxId}, now() + interval '1 day')`;
  await db.$executeRaw`
    INSERT INTO "OrphanPayment" (id, "stripeEventId", "sessionId", "paymentIntentId", "orderId", reason, "amountCents",
                                 currency, status, "lastError", "createdAt")
    VALUES (gen_random_uuid(), ${`evt_${tag}`}, ${`cs_e2e_${tag}`}, ${`pi_e2e_${tag}`}, ${order.id}::uuid,
            'second_payment', 4900, 'eur', 'FAILED', 'StripeConnectionError: e2e', now() - interval '30 days')`;
  await db.$executeRaw`
    INSERT INTO "SweepRun" (name, instance, "lastStartedAt", "lastFinishedAt", "lastOkAt", "lastError")
    VALUES ('transfer-reminders', 'e2e-host:3999', now() - interval '20 days', now() - interval '20 days', NULL,
            'Error: e2e reminders failed')
    ON CONFLICT (name) DO UPDATE SET instance = EXCLUDED.instance, "lastStartedAt" = EXCLUDED."lastStartedAt",
      "lastFinishedAt" = EXCLUDED."lastFinishedAt", "lastOkAt" = NULL, "lastError" = EXCLUDED."lastError"`;
  const eventId = `evt_e2e_${tag}`;
  await db.$executeRaw`
    INSERT INTO "StripeEventFailure" ("eventId", type, attempts, "lastError")
    VALUES (${eventId}, 'checkout.session.completed', 4, 'Error: e2e webhook failed')`;
  return { outboxId, eventId };
}

for (const locale of ["fr", "en"] as const) {
  test(`an admin sees the background work left undone, from the navigation (${locale})`, async ({
    page,
    context,
    request,
    db,
    newEdition,
  }) => {
    const words = WORDS[locale];
    const edition = await newEdition({ capacity: 5 });
    const created = await request.post(`/api/v1/editions/${edition.slug}/registrations`, {
      data: { ticketType: "free", attendee: { firstName: "Ada", lastName: "Lovelace", email: uniqueEmail("sys") } },
    });
    expect(created.status()).toBe(201);
    const order = await db.order.findFirstOrThrow({ where: { editionId: edition.id } });
    const { outboxId, eventId } = await leaveWorkUndone(db, order);
    try {
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: "http://localhost" }]);
      await signInAs(context, "ADMIN");
      await page.goto("/admin");
      await page.getByRole("navigation").getByRole("link", { name: words.nav }).click();
      await expect(page.getByRole("heading", { level: 1, name: words.nav })).toBeVisible();

      const email = page.getByRole("region", { name: words.email, exact: true });
      await expect(email.getByRole("heading", { level: 3, name: words.waiting })).toBeVisible();
      await expect(email.getByRole("link", { name: `${words.order} ${order.reference}` }).first()).toHaveAttribute(
        "href",
        `/admin/editions/${edition.slug}/orders/${order.reference}`,
      );

      const refunds = page.getByRole("region", { name: words.refunds });
      const orphan = refunds.getByRole("row").filter({ hasText: `${order.reference}` });
      await expect(orphan).toContainText(words.orphan);
      await expect(orphan).toContainText("StripeConnectionError: e2e");

      const sweep = page.getByTestId("sweeps").getByRole("row").filter({ hasText: words.transferReminders });
      await expect(sweep).toContainText(words.late);
      await expect(sweep).toContainText(words.never);
      await expect(sweep).toContainText("e2e-host:3999");
      await expect(sweep).toContainText("Error: e2e reminders failed");

      const webhook = page.getByRole("region", { name: words.webhooks }).getByRole("row").filter({ hasText: eventId });
      await expect(webhook).toContainText("checkout.session.completed");
      await expect(webhook).toContainText("Error: e2e webhook failed");

      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html)}`)).toEqual([]);
      await page.screenshot({ path: `test-results/background-work-${locale}.png`, fullPage: true });
      // On a phone the tables scroll sideways inside their frames; the page itself does not.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `test-results/background-work-${locale}-phone.png`, fullPage: true });
    } finally {
      await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'email.send' AND singleton_key = ${outboxId}`;
      await db.$executeRaw`DELETE FROM "EmailOutbox" WHERE id = ${outboxId}::uuid`;
      await db.$executeRaw`DELETE FROM "OrphanPayment" WHERE "orderId" = ${order.id}::uuid`;
      await db.$executeRaw`DELETE FROM "StripeEventFailure" WHERE "eventId" = ${eventId}`;
    }
  });
}

test("the metrics route is off while METRICS_TOKEN is unset", async ({ request }) => {
  // The test server has no token (e2e/production-recipe.spec.ts scrapes one that has).
  const scrape = await request.get("/api/metrics", { headers: { authorization: "Bearer anything-at-all" } });
  expect(scrape.status()).toBe(404);
  expect(scrape.headers()["content-type"]).toBe("application/problem+json");
});

test("organisers neither see nor open the background work page", async ({ page, context }) => {
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: "http://localhost" }]);
  await signInAs(context, "ORGANISER");
  await page.goto("/admin");
  await expect(page.getByRole("navigation").getByRole("link", { name: "Editions" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Background work" })).toHaveCount(0);
  await page.goto("/admin/system");
  await expect(page).toHaveURL(/\/admin\/forbidden$/);
});
