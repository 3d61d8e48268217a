import { expect, test } from "./support/database";

test("the webhook endpoint refuses deliveries without a valid Stripe signature", async ({ request }) => {
  const event = JSON.stringify({
    id: "evt_forged",
    type: "checkout.session.completed",
    data: { object: { id: "cs_test_forged" } },
  });
  const unsigned = await request.post("/api/stripe/webhook", {
    headers: { "content-type": "application/json" },
    data: Buffer.from(event),
  });
  expect(unsigned.status()).toBe(400);
  expect(await unsigned.json()).toEqual({ error: "invalid_signature" });
  const forged = await request.post("/api/stripe/webhook", {
    headers: {
      "content-type": "application/json",
      "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`,
    },
    data: Buffer.from(event),
  });
  expect(forged.status()).toBe(400);
});
