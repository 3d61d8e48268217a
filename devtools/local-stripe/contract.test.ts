import { readFileSync } from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { TEST_WEBHOOK_SECRET, useLocalStripe } from "@/devtools/testing/local-stripe";
import { createStripeClient } from "@/lib/payments/stripe";
import { STRIPE_READS } from "@/lib/payments/stripe-reads";
import { REFUND_FAILS_CARD } from "./server";

// The stand-in's contract: every object it answers the app with, through the real SDK, and every
// webhook event it delivers, is made of fields of Stripe's own example object for that resource
// (stripe/openapi fixtures3.json), with the same JSON types; its errors have Stripe's documented
// shape and raise the SDK's error class Stripe's would; and every field the app reads
// (lib/payments/stripe-reads.ts) is one of Stripe's and is sent.

type JsonType = "null" | "boolean" | "number" | "string" | "array" | "object";
type JsonObject = Record<string, unknown>;

const fixturesFile = path.join(import.meta.dirname, "stripe-fixtures", "fixtures3.json");
const fixtures: Record<string, JsonObject> = JSON.parse(readFileSync(fixturesFile, "utf8")).resources;
/** Stripe's list envelope, as its charge fixture nests one. */
const LIST = fixtures.charge.refunds;

/**
 * Fields Stripe documents but its fixture leaves out, the fixture showing its object in one state
 * only: a refund's `failure_reason` is "provided if status is failed" (docs.stripe.com/api/refunds/object)
 * and the fixture's refund succeeded. Keys are checked against the SDK's type of the resource.
 */
const ONLY_IN_SOME_STATES: Record<string, Record<string, JsonType>> = {
  refund: { failure_reason: "string" } satisfies Partial<Record<keyof Stripe.Refund, JsonType>>,
};

/** Stripe's error object (docs.stripe.com/api/errors), typed as the SDK's StripeRawError types it. */
const ERROR_FIELDS = {
  type: "string",
  code: "string",
  decline_code: "string",
  message: "string",
  param: "string",
  doc_url: "string",
  request_log_url: "string",
  charge: "string",
  advice_code: "string",
  network_advice_code: "string",
  network_decline_code: "string",
  payment_method_type: "string",
  payment_intent: "object",
  payment_method: "object",
  setup_intent: "object",
  source: "object",
} as const satisfies Partial<Record<keyof Stripe.StripeRawError, JsonType>>;
const ERROR_FIELD_TYPES: Record<string, JsonType> = ERROR_FIELDS;
const ERROR_TYPES = ["api_error", "card_error", "idempotency_error", "invalid_request_error"];

/** The named members of a union the SDK leaves open with `string & {}`. */
type Named<T> = T extends string ? (string extends T ? never : T) : never;
type StripeErrorCode = Named<Stripe.PaymentIntent.LastPaymentError.Code>;
/** The error codes the stand-in answers with, each one of Stripe's documented codes (docs.stripe.com/error-codes). */
const ERROR_CODES = ["resource_missing", "parameter_missing", "charge_already_refunded"] satisfies StripeErrorCode[];
const errorCodes: readonly string[] = ERROR_CODES;

const jsonType = (value: unknown): JsonType =>
  value === null ? "null" : Array.isArray(value) ? "array" : (typeof value as JsonType);
const isObject = (value: unknown): value is JsonObject => jsonType(value) === "object";

/** Where `actual` departs from Stripe's `reference`: a field Stripe lacks, or another JSON type. */
function departures(actual: unknown, reference: unknown, at: string, extra: Record<string, JsonType> = {}): string[] {
  const [actualType, referenceType] = [jsonType(actual), jsonType(reference)];
  // Null is allowed either way: a fixture's null field says nothing of the type it has when set.
  if (actualType === "null" || referenceType === "null") return [];
  if (actualType !== referenceType) return [`${at}: ${actualType} where Stripe has ${referenceType}`];
  if (Array.isArray(actual) && Array.isArray(reference)) {
    // An empty list in the fixture says nothing of its items.
    return reference.length === 0 ? [] : actual.flatMap((item, i) => departures(item, reference[0], `${at}[${i}]`));
  }
  if (!isObject(actual) || !isObject(reference)) return [];
  return Object.entries(actual).flatMap(([key, value]) => {
    if (key === "metadata" && key in reference) return metadataDepartures(value, `${at}.metadata`);
    if (key in reference) return departures(value, reference[key], `${at}.${key}`);
    if (!(key in extra)) return [`${at}.${key}: not a field of Stripe's object`];
    return value === null || jsonType(value) === extra[key] ? [] : [`${at}.${key}: not a ${extra[key]}`];
  });
}

/** Metadata keys are the merchant's; Stripe keeps their values as strings. */
function metadataDepartures(metadata: unknown, at: string): string[] {
  if (!isObject(metadata)) return [`${at}: ${jsonType(metadata)} where Stripe has object`];
  const notStrings = Object.entries(metadata).filter(([, value]) => typeof value !== "string");
  return notStrings.map(([key]) => `${at}.${key}: not a string`);
}

/** The departures of one answer (an object, a list or an event) from Stripe's fixture of its resource. */
function contractDepartures(body: unknown, at = "answer"): string[] {
  if (!isObject(body) || typeof body.object !== "string") return [`${at}: not a Stripe object`];
  if (body.object === "list") {
    const items = Array.isArray(body.data) ? body.data : [];
    const listed = items.flatMap((item, i) => contractDepartures(item, `${at}.data[${i}]`));
    return [...departures({ ...body, data: [] }, LIST, at), ...listed];
  }
  if (body.object === "event") {
    const { object, ...data } = isObject(body.data) ? body.data : {};
    return [...departures({ ...body, data }, fixtures.event, at), ...contractDepartures(object, `${at}.data.object`)];
  }
  const reference = fixtures[body.object];
  if (!reference) return [`${at}: Stripe has no object "${body.object}"`];
  return departures(body, reference, `${at}<${body.object}>`, ONLY_IN_SOME_STATES[body.object]);
}

const { local, stripe, faults, deliveries, payWithCard, waitForDelivery } = await useLocalStripe();

// What the app is given: the SDK's result as JSON (its non-enumerable `lastResponse` left out).
const answers: { name: string; body: unknown }[] = [];
async function answer<T>(name: string, call: Promise<T>): Promise<T> {
  const result = await call;
  answers.push({ name, body: JSON.parse(JSON.stringify(result)) });
  return result;
}

const sessionParams = (orderId: string): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 4900, product_data: { name: "Standard" } } }],
  client_reference_id: orderId,
  metadata: { orderId, reference: "GX-1" },
  payment_intent_data: { metadata: { orderId, reference: "GX-1" } },
  customer_email: "ada@example.org",
  locale: "fr",
  expires_at: Math.floor(Date.now() / 1000) + 31 * 60,
  success_url: "http://app.test/ok",
  cancel_url: "http://app.test/back",
});

async function paidSession(orderId: string, card?: string) {
  const session = await stripe.checkout.sessions.create(sessionParams(orderId));
  expect((await payWithCard(session.id, card)).status).toBe(303);
  return session;
}

const paymentIntentOf = async (sessionId: string) => {
  const { payment_intent: paymentIntent } = await stripe.checkout.sessions.retrieve(sessionId);
  if (typeof paymentIntent !== "string") throw new Error(`session ${sessionId} has no payment intent`);
  return paymentIntent;
};

// Every kind of answer the app gets, and every event the stand-in delivers.
const open = await answer("checkout.session created", stripe.checkout.sessions.create(sessionParams("order-open")));
await answer("checkout.session retrieved, open", stripe.checkout.sessions.retrieve(open.id));
const expiring = await stripe.checkout.sessions.create(sessionParams("order-expired"));
await answer("checkout.session expired", stripe.checkout.sessions.expire(expiring.id));
const paid = await paidSession("order-paid");
await answer("checkout.session retrieved, paid", stripe.checkout.sessions.retrieve(paid.id));
const intent = await answer("payment_intent retrieved", stripe.paymentIntents.retrieve(await paymentIntentOf(paid.id)));
if (typeof intent.latest_charge !== "string") throw new Error("the payment intent has no charge");
const metadata = { refundId: "refund-1", source: "refund" };
const refund = await answer(
  "refund created",
  stripe.refunds.create({ payment_intent: intent.id, amount: 900, metadata }),
);
await answer("refund retrieved", stripe.refunds.retrieve(refund.id));
await answer("refunds listed by payment intent", stripe.refunds.list({ payment_intent: intent.id, limit: 100 }));
local.refundFromDashboard(intent.id);
await answer("charge retrieved, refunded", stripe.charges.retrieve(intent.latest_charge));
const failing = await paidSession("order-refund-fails", REFUND_FAILS_CARD);
const failingRefund = await stripe.refunds.create({ payment_intent: await paymentIntentOf(failing.id) });
const disputed = await paidSession("order-disputed");
const dispute = local.openDispute(await paymentIntentOf(disputed.id));

const lastEvents = await Promise.all([
  waitForDelivery("checkout.session.expired", expiring.id),
  waitForDelivery("refund.failed", failingRefund.id),
  waitForDelivery("refund.updated", failingRefund.id),
  waitForDelivery("charge.dispute.created", dispute.id),
]);
const events = deliveries.map(({ payload, signature }) => {
  stripe.webhooks.constructEvent(payload, signature, TEST_WEBHOOK_SECRET);
  const event: unknown = JSON.parse(payload);
  return event;
});
const eventOfEachType = [...new Map(deliveries.map(({ type }, i) => [type, events[i]])).entries()];

describe("the local Stripe stand-in answers with Stripe's own objects", () => {
  it.each(answers)("$name: fields of Stripe's object, with its types", ({ body }) => {
    expect(contractDepartures(body)).toEqual([]);
  });

  it("delivers every kind of event the app handles", () => {
    expect(lastEvents).toHaveLength(4);
    expect(eventOfEachType.map(([type]) => type).sort()).toEqual([
      "charge.dispute.created",
      "charge.refunded",
      "checkout.session.completed",
      "checkout.session.expired",
      "refund.created",
      "refund.failed",
      "refund.updated",
    ]);
  });

  it.each(eventOfEachType)("event %s: Stripe's envelope around Stripe's object", (_type, event) => {
    expect(contractDepartures(event, "event")).toEqual([]);
  });
});

describe("the fields the app reads (lib/payments/stripe-reads.ts)", () => {
  const sent = [...answers.map(({ body }) => body), ...events];
  const samples = (resource: string): JsonObject[] => [
    ...sent.filter((body): body is JsonObject => isObject(body) && body.object === resource),
    ...sent
      .flatMap((body) => (isObject(body) && isObject(body.data) ? [body.data.object] : []))
      .filter((object): object is JsonObject => isObject(object) && object.object === resource),
    ...sent
      .flatMap((body) => (isObject(body) && Array.isArray(body.data) ? body.data : []))
      .filter((item): item is JsonObject => isObject(item) && item.object === resource),
  ];
  const reads = Object.entries(STRIPE_READS).flatMap(([resource, fields]) => fields.map((field) => [resource, field]));

  it.each(reads)("%s.%s is a field of Stripe's object, and the stand-in sends it", (resource, field) => {
    expect(field in fixtures[resource] || field in (ONLY_IN_SOME_STATES[resource] ?? {})).toBe(true);
    expect(samples(resource).some((sample) => sample[field] !== undefined)).toBe(true);
  });
});

describe("the stand-in's errors", () => {
  const expired = expiring.id;
  const errors: [string, () => Promise<unknown>, new (...args: never[]) => Stripe.errors.StripeError, number][] = [
    [
      "unknown session",
      () => stripe.checkout.sessions.retrieve("cs_test_missing"),
      Stripe.errors.StripeInvalidRequestError,
      404,
    ],
    [
      "expiry too soon",
      () => stripe.checkout.sessions.create({ ...sessionParams("x"), expires_at: Math.floor(Date.now() / 1000) + 60 }),
      Stripe.errors.StripeInvalidRequestError,
      400,
    ],
    [
      "session no longer open",
      () => stripe.checkout.sessions.expire(expired),
      Stripe.errors.StripeInvalidRequestError,
      400,
    ],
    ["refund without payment intent", () => stripe.refunds.create({}), Stripe.errors.StripeInvalidRequestError, 400],
    [
      "refund of a refunded payment",
      () => stripe.refunds.create({ payment_intent: intent.id }),
      Stripe.errors.StripeInvalidRequestError,
      400,
    ],
    [
      "idempotency key reused with other parameters",
      async () => {
        await stripe.checkout.sessions.create(sessionParams("key-a"), { idempotencyKey: "contract-key" });
        await stripe.checkout.sessions.create(sessionParams("key-b"), { idempotencyKey: "contract-key" });
      },
      Stripe.errors.StripeIdempotencyError,
      400,
    ],
    [
      "a key that is not a test key",
      () => createStripeClient({ secretKey: "sk_live_contract", apiUrl: local.url }).refunds.list(),
      Stripe.errors.StripeAuthenticationError,
      401,
    ],
    [
      "Stripe failing (injected in front of the stand-in)",
      async () => {
        faults.failRefunds = true;
        try {
          await stripe.refunds.create({ payment_intent: intent.id, amount: 1 });
        } finally {
          faults.failRefunds = false;
        }
      },
      Stripe.errors.StripeAPIError,
      500,
    ],
  ];

  it.each(errors)("%s: Stripe's error body and the SDK's error class", async (_name, call, errorClass, status) => {
    const error = await call().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(errorClass);
    if (!(error instanceof Stripe.errors.StripeError)) return;
    expect(error.statusCode).toBe(status);
    // The SDK's raw error is the body's `error` plus what it adds from the HTTP response.
    const raw = error.raw;
    if (!isObject(raw)) throw new Error("the SDK kept no error body");
    const { headers: _headers, statusCode: _statusCode, requestId: _requestId, ...body } = raw;
    expect(ERROR_TYPES).toContain(body.type);
    expect(typeof body.message).toBe("string");
    if (body.code !== undefined) expect(errorCodes).toContain(body.code);
    const odd = Object.entries(body).filter(([key, value]) => {
      const expected = ERROR_FIELD_TYPES[key];
      return expected === undefined || (value !== null && jsonType(value) !== expected);
    });
    expect(odd).toEqual([]);
  });

  it("answers an unknown URL with Stripe's error envelope and nothing else", async () => {
    const headers = { authorization: "Bearer sk_test_contract" };
    const response = await fetch(`${local.url}/v1/nothing_here`, { headers });
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error).toMatchObject({ type: "invalid_request_error", message: expect.any(String) });
  });
});
