import { describe, expect, it } from "vitest";
import { parseStripeForm } from "./form-encoding";

describe("parseStripeForm", () => {
  it("rebuilds nested objects and arrays from bracketed keys", () => {
    const body =
      "mode=payment&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=4900" +
      "&line_items[0][quantity]=1&metadata[orderId]=abc&expand[0]=payment_intent" +
      "&success_url=http%3A%2F%2Fx%2Fok%3Fa%3D1";
    expect(parseStripeForm(body)).toEqual({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur", unit_amount: "4900" }, quantity: "1" }],
      metadata: { orderId: "abc" },
      expand: ["payment_intent"],
      success_url: "http://x/ok?a=1",
    });
  });
});
