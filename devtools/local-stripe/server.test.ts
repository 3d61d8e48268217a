import { createServer } from "node:http";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { createStripeClient } from "@/lib/payments/stripe";
import { LocalStripe } from "./server";

// A webhook receiver that fails its first delivery, as a restarting app would.
const received: { id: string; signature: string; body: string }[] = [];
let failuresLeft = 1;
const receiver = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      response.writeHead(503).end();
      return;
    }
    received.push({ id: JSON.parse(body).id, signature: String(request.headers["stripe-signature"]), body });
    response.writeHead(200).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverPort = (receiver.address() as { port: number }).port;
const secret = "whsec_local_server_test";
const local = await new LocalStripe({
  webhookUrl: `http://127.0.0.1:${receiverPort}/`,
  webhookSecret: secret,
  retryDelaysMs: [50, 50, 50],
}).start();
const stripe = createStripeClient({ secretKey: "sk_test_server", apiUrl: local.url });
afterAll(async () => {
  await local.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

const sessionParams = (): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 4900, product_data: { name: "Standard" } } }],
  client_reference_id: "order-1",
  success_url: "http://app.test/ok",
  cancel_url: "http://app.test/back",
  expires_at: Math.floor(Date.now() / 1000) + 31 * 60,
});

describe("local Stripe stand-in", () => {
  it("replays an idempotent request and refuses the same key with other parameters", async () => {
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "key-1" });
    const replay = await stripe.checkout.sessions.create(
      { ...sessionParams(), expires_at: first.expires_at },
      { idempotencyKey: "key-1" },
    );
    expect(replay.id).toBe(first.id);
    await expect(
      stripe.checkout.sessions.create(
        { ...sessionParams(), client_reference_id: "order-2" },
        { idempotencyKey: "key-1" },
      ),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("answers with Stripe's error shapes", async () => {
    await expect(stripe.checkout.sessions.retrieve("cs_test_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
    await expect(
      stripe.checkout.sessions.create({ ...sessionParams(), expires_at: Math.floor(Date.now() / 1000) + 60 }),
    ).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      param: "expires_at",
    });
    const wrongKey = createStripeClient({ secretKey: "sk_live_nope", apiUrl: local.url });
    await expect(wrongKey.checkout.sessions.retrieve("cs_test_x")).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it("takes payment on its checkout page, refunds once, and delivers signed events with retries", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const page = await fetch(session.url!);
    expect(await page.text()).toContain("4242 4242 4242 4242");
    const declined = await fetch(`${session.url}/pay`, {
      method: "POST",
      body: new URLSearchParams({ cardNumber: "4000000000000002", expiry: "12/34", cvc: "123" }),
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    const paid = await fetch(`${session.url}/pay`, {
      method: "POST",
      body: new URLSearchParams({ cardNumber: "4242424242424242", expiry: "12/34", cvc: "123" }),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe("http://app.test/ok");

    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: "complete", payment_status: "paid" });
    const refund = await stripe.refunds.create(
      { payment_intent: completed.payment_intent as string },
      { idempotencyKey: "refund-1" },
    );
    expect(refund).toMatchObject({ status: "succeeded", amount: 4900 });
    expect(
      (
        await stripe.refunds.create(
          { payment_intent: completed.payment_intent as string },
          { idempotencyKey: "refund-1" },
        )
      ).id,
    ).toBe(refund.id);
    await expect(stripe.refunds.create({ payment_intent: completed.payment_intent as string })).rejects.toMatchObject({
      code: "charge_already_refunded",
    });
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );

    // The completion's first delivery failed (503) and was retried; the refund's events came meanwhile.
    for (let i = 0; i < 100 && local.events().some((e) => !e.delivered); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const events = received.map(({ body, signature }) => stripe.webhooks.constructEvent(body, signature, secret));
    const types = events.map((event) => event.type).sort();
    expect(types).toEqual(["charge.refunded", "checkout.session.completed", "refund.created"]);
    const completedEvent = events.find((event) => event.type === "checkout.session.completed")!;
    const completedDelivery = local.events().find((e) => e.id === completedEvent.id);
    expect(completedDelivery).toMatchObject({ attempts: 2, delivered: true, lastStatus: 200 });
    const charge = events.find((event) => event.type === "charge.refunded")!.data.object as Stripe.Charge;
    const paymentIntent = completed.payment_intent;
    expect(charge).toMatchObject({ payment_intent: paymentIntent, amount_refunded: 4900, refunded: true });
    const listed = await stripe.refunds.list({ payment_intent: completed.payment_intent as string });
    expect(listed.data.map((listedRefund) => listedRefund.id)).toEqual([refund.id]);
  });
});
