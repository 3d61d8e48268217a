// A local stand-in for the part of Stripe's API that Guichet uses, for machines that cannot reach
// Stripe (this one) and for tests. The app talks to it through the official SDK pointed at its
// host and port; it answers with Stripe's object and error shapes, replays idempotent requests,
// serves a hosted checkout page that takes Stripe's test card numbers, and delivers webhook
// events signed exactly as Stripe signs them, retrying on failure. State is in memory: it is a
// test double of a remote service, not part of the application.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Stripe from "stripe";
import { parseStripeForm } from "./form-encoding";
import { renderCheckoutPage, type CheckoutPageState } from "./checkout-page";

export type LocalStripeOptions = {
  port?: number;
  /** Where events are POSTed, e.g. http://localhost:3000/api/stripe/webhook. */
  webhookUrl: string;
  webhookSecret: string;
  /** Delays between delivery attempts, in ms; Stripe itself retries for days. */
  retryDelaysMs?: number[];
  log?: (line: string) => void;
};

type Session = {
  id: string;
  object: "checkout.session";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  created: number;
  expires_at: number;
  livemode: false;
  locale: string | null;
  metadata: Record<string, string>;
  mode: "payment";
  payment_intent: string | null;
  payment_status: "paid" | "unpaid" | "no_payment_required";
  status: "open" | "complete" | "expired";
  success_url: string;
  cancel_url: string;
  url: string | null;
};

/** What the hosted page lists; Stripe keeps line items apart from the session object too. */
type LineItem = { name: string; amount: number; quantity: number };

type PaymentIntent = {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: "succeeded";
  metadata: Record<string, string>;
  created: number;
  livemode: false;
  latest_charge: string;
};

// Every shape here is a subset of Stripe's own example object for its resource (stripe/openapi
// fixtures3.json, copied in stripe-fixtures/): contract.test.ts fails on a field Stripe lacks.
type Refund = {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: null;
  currency: string;
  payment_intent: string;
  charge: string;
  status: "pending" | "succeeded" | "failed" | "canceled" | "requires_action";
  failure_reason?: string;
  reason: string | null;
  receipt_number: null;
  metadata: Record<string, string>;
  created: number;
};

type Charge = {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: true;
  created: number;
  currency: string;
  disputed: boolean;
  livemode: false;
  metadata: Record<string, string>;
  paid: true;
  payment_intent: string;
  refunded: boolean;
  status: "succeeded";
};

type Dispute = {
  id: string;
  object: "dispute";
  amount: number;
  charge: string;
  created: number;
  currency: string;
  evidence_details: { due_by: number; has_evidence: false; past_due: false; submission_count: 0 };
  is_charge_refundable: boolean;
  livemode: false;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string;
  status: "needs_response";
};

export type DeliveredEvent = { id: string; type: string; attempts: number; delivered: boolean; lastStatus?: number };

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string; decline_code?: string } = {},
  ) {
    super(message);
  }
}

const API_VERSION = "2026-10-28.endive";
const nowSeconds = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

// Stripe's documented test cards: the outcome a number gives in test mode.
const CARD_OUTCOMES: Record<string, { decline_code: string } | "succeeds"> = {
  "4242424242424242": "succeeds",
  "5555555555554444": "succeeds",
  "4000000000000002": { decline_code: "generic_decline" },
  "4000000000009995": { decline_code: "insufficient_funds" },
  "4000000000009987": { decline_code: "lost_card" },
};

/** Stripe's test card whose refunds succeed at first, then fail (the card was closed). */
export const REFUND_FAILS_CARD = "4000000000005126";

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

export class LocalStripe {
  private server: Server | undefined;
  private readonly sessions = new Map<string, Session>();
  private readonly lineItems = new Map<string, LineItem[]>();
  private readonly paymentIntents = new Map<string, PaymentIntent>();
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();
  private readonly cardOfIntent = new Map<string, string>();
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  private readonly deliveries: DeliveredEvent[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private expirySweep: NodeJS.Timeout | undefined;
  private readonly signer = new Stripe("sk_test_local_signer");
  port = 0;

  constructor(private readonly options: LocalStripeOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error) => {
        this.options.log?.(`local-stripe: ${error instanceof Error ? error.stack : error}`);
        if (!response.headersSent)
          this.sendJson(response, 500, { error: { type: "api_error", message: "Internal error" } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    this.expirySweep = setInterval(() => this.expireDueSessions(), 1000);
    this.expirySweep.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.expirySweep);
    for (const timer of this.timers) clearTimeout(timer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Events sent so far, for tests that wait for a delivery. */
  events(): DeliveredEvent[] {
    return this.deliveries.map((delivery) => ({ ...delivery }));
  }

  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** What an organiser does in Stripe's dashboard: a refund Guichet did not ask for. */
  refundFromDashboard(paymentIntentId: string, amount?: number): Refund {
    const params = amount === undefined ? {} : { amount: String(amount) };
    return this.createRefund({ payment_intent: paymentIntentId, ...params });
  }

  /** What a payer's bank does: opens a dispute on the payment's charge. */
  openDispute(paymentIntentId: string, reason = "fraudulent"): Dispute {
    const intent = this.findOrThrow(this.paymentIntents, paymentIntentId, "payment_intent");
    this.findOrThrow(this.charges, intent.latest_charge, "charge").disputed = true;
    const created = nowSeconds();
    const dispute: Dispute = {
      id: newId("dp"),
      object: "dispute",
      amount: intent.amount_received,
      charge: intent.latest_charge,
      created,
      currency: intent.currency,
      evidence_details: { due_by: created + 7 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: intent.id,
      reason,
      status: "needs_response",
    };
    this.emit("charge.dispute.created", dispute);
    return dispute;
  }

  private async route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", this.url);
    const body = await readBody(request);
    const checkoutPage = url.pathname.match(/^\/checkout\/(cs_[\w]+)(\/pay)?$/);
    if (checkoutPage)
      return this.handleCheckoutPage(
        request.method ?? "GET",
        checkoutPage[1],
        Boolean(checkoutPage[2]),
        body,
        response,
      );
    if (!url.pathname.startsWith("/v1/"))
      return this.sendJson(response, 404, {
        error: { type: "invalid_request_error", message: "Unrecognized request URL." },
      });

    try {
      const apiKey = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      if (!/^sk_test_\w+/.test(apiKey)) {
        throw new StripeApiError(
          401,
          "invalid_request_error",
          "Invalid API Key provided. Test mode keys start with sk_test_.",
        );
      }
      const idempotencyKey = request.method === "POST" ? request.headers["idempotency-key"] : undefined;
      const fingerprint = `${request.method} ${url.pathname} ${createHash("sha256").update(body).digest("hex")}`;
      if (typeof idempotencyKey === "string") {
        const stored = this.idempotency.get(`${apiKey}:${idempotencyKey}`);
        if (stored && stored.fingerprint !== fingerprint) {
          throw new StripeApiError(
            400,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
              `Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          );
        }
        if (stored) {
          response.setHeader("Idempotent-Replayed", "true");
          return this.send(response, stored.status, stored.body);
        }
      }
      const params = request.method === "GET" ? Object.fromEntries(url.searchParams) : parseStripeForm(body);
      const result = this.handleApi(request.method ?? "GET", url.pathname, params);
      const text = JSON.stringify(result);
      if (typeof idempotencyKey === "string")
        this.idempotency.set(`${apiKey}:${idempotencyKey}`, { fingerprint, status: 200, body: text });
      this.send(response, 200, text);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      this.sendJson(response, error.status, { error: { type: error.type, message: error.message, ...error.extra } });
    }
  }

  private handleApi(method: string, path: string, params: Record<string, unknown>): unknown {
    let match: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/checkout/sessions") return this.createSession(params);
    if (method === "GET" && (match = path.match(/^\/v1\/checkout\/sessions\/([\w]+)$/)))
      return this.findOrThrow(this.sessions, match[1], "checkout.session");
    if (method === "POST" && (match = path.match(/^\/v1\/checkout\/sessions\/([\w]+)\/expire$/)))
      return this.expireSession(match[1]);
    if (method === "GET" && (match = path.match(/^\/v1\/payment_intents\/([\w]+)$/)))
      return this.findOrThrow(this.paymentIntents, match[1], "payment_intent");
    if (method === "GET" && (match = path.match(/^\/v1\/charges\/([\w]+)$/))) {
      return this.findOrThrow(this.charges, match[1], "charge");
    }
    if (method === "POST" && path === "/v1/refunds") return this.createRefund(params);
    if (method === "GET" && path === "/v1/refunds") return this.listRefunds(params);
    if (method === "GET" && (match = path.match(/^\/v1\/refunds\/([\w]+)$/)))
      return this.findOrThrow(this.refunds, match[1], "refund");
    throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  private findOrThrow<T>(store: Map<string, T>, id: string, kind: string): T {
    const found = store.get(id);
    if (!found)
      throw new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, {
        code: "resource_missing",
        param: "id",
      });
    return found;
  }

  private createSession(params: Record<string, unknown>): Session {
    const required = (name: string) => {
      if (typeof params[name] !== "string" || params[name] === "") {
        throw new StripeApiError(400, "invalid_request_error", `Missing required param: ${name}.`, {
          code: "parameter_missing",
          param: name,
        });
      }
      return params[name] as string;
    };
    if (required("mode") !== "payment")
      throw new StripeApiError(400, "invalid_request_error", "Only mode=payment is supported here.", { param: "mode" });
    const successUrl = required("success_url");
    const cancelUrl = required("cancel_url");
    type LineItemParams = {
      quantity?: unknown;
      price_data?: { unit_amount?: unknown; currency?: unknown; product_data?: { name?: unknown } };
    };
    const lineItems = Array.isArray(params.line_items) ? (params.line_items as LineItemParams[]) : [];
    if (lineItems.length === 0)
      throw new StripeApiError(400, "invalid_request_error", "Missing required param: line_items.", {
        param: "line_items",
      });
    const items = lineItems.map((item, index) => {
      const amount = Number(item.price_data?.unit_amount);
      const quantity = Number(item.quantity ?? 1);
      if (!Number.isInteger(amount) || amount < 0) {
        throw new StripeApiError(400, "invalid_request_error", "Invalid integer: unit_amount.", {
          param: `line_items[${index}][price_data][unit_amount]`,
        });
      }
      return {
        name: String(item.price_data?.product_data?.name ?? ""),
        amount,
        quantity,
        currency: String(item.price_data?.currency ?? "").toLowerCase(),
      };
    });
    const created = nowSeconds();
    const expiresAt = params.expires_at === undefined ? created + 24 * 3600 : Number(params.expires_at);
    if (!Number.isInteger(expiresAt) || expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        {
          param: "expires_at",
        },
      );
    }
    const id = newId("cs_test");
    const session: Session = {
      id,
      object: "checkout.session",
      amount_total: items.reduce((sum, item) => sum + item.amount * item.quantity, 0),
      currency: items[0].currency,
      client_reference_id: typeof params.client_reference_id === "string" ? params.client_reference_id : null,
      customer_email: typeof params.customer_email === "string" ? params.customer_email : null,
      created,
      expires_at: expiresAt,
      livemode: false,
      locale: typeof params.locale === "string" ? params.locale : null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      mode: "payment",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: successUrl,
      cancel_url: cancelUrl,
      url: `${this.url}/checkout/${id}`,
    };
    this.sessions.set(id, session);
    this.lineItems.set(
      id,
      items.map(({ name, amount, quantity }) => ({ name, amount, quantity })),
    );
    return session;
  }

  private expireSession(id: string): Session {
    const session = this.findOrThrow(this.sessions, id, "checkout.session");
    if (session.status !== "open") {
      // No `code`: Stripe documents none for this refusal (its error codes are listed in the SDK's types).
      throw new StripeApiError(
        400,
        "invalid_request_error",
        'Only Checkout Sessions with a status in ["open"] can be expired.',
      );
    }
    this.markExpired(session);
    return session;
  }

  private markExpired(session: Session) {
    session.status = "expired";
    session.url = null;
    this.emit("checkout.session.expired", session);
  }

  private expireDueSessions() {
    const now = nowSeconds();
    for (const session of this.sessions.values())
      if (session.status === "open" && session.expires_at <= now) this.markExpired(session);
  }

  private createRefund(params: Record<string, unknown>): Refund {
    const paymentIntentId = params.payment_intent;
    if (typeof paymentIntentId !== "string") {
      throw new StripeApiError(400, "invalid_request_error", "Missing required param: payment_intent.", {
        code: "parameter_missing",
        param: "payment_intent",
      });
    }
    const intent = this.findOrThrow(this.paymentIntents, paymentIntentId, "payment_intent");
    const charge = this.findOrThrow(this.charges, intent.latest_charge, "charge");
    const refundable = charge.amount_captured - charge.amount_refunded;
    const amount = params.amount === undefined ? refundable : Number(params.amount);
    if (refundable <= 0) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `Charge ${intent.latest_charge} has already been refunded.`,
        { code: "charge_already_refunded" },
      );
    }
    if (!Number.isInteger(amount) || amount <= 0 || amount > refundable) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable}).`,
        {
          param: "amount",
        },
      );
    }
    this.addRefunded(charge, amount);
    const refund: Refund = {
      id: newId("re"),
      object: "refund",
      amount,
      balance_transaction: null,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge,
      status: "succeeded",
      reason: typeof params.reason === "string" ? params.reason : null,
      receipt_number: null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      created: nowSeconds(),
    };
    this.refunds.set(refund.id, refund);
    this.emit("refund.created", refund);
    this.emit("charge.refunded", charge);
    if (this.cardOfIntent.get(intent.id) === REFUND_FAILS_CARD) this.later(() => this.failRefund(refund, charge));
    return structuredClone(refund);
  }

  private failRefund(refund: Refund, charge: Charge) {
    refund.status = "failed";
    refund.failure_reason = "expired_or_canceled_card";
    // As on Stripe, the money of a failed refund counts as not refunded again.
    this.addRefunded(charge, -refund.amount);
    this.emit("refund.failed", refund);
    this.emit("refund.updated", refund);
  }

  private listRefunds(params: Record<string, unknown>) {
    const wanted = params.payment_intent;
    const matches = (refund: Refund) => wanted === undefined || refund.payment_intent === wanted;
    const data = [...this.refunds.values()].filter(matches).reverse();
    return { object: "list", data, has_more: false, url: "/v1/refunds" };
  }

  private addRefunded(charge: Charge, amount: number) {
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
  }

  private later(action: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, 20);
    timer.unref();
    this.timers.add(timer);
  }

  private handleCheckoutPage(method: string, id: string, paying: boolean, body: string, response: ServerResponse) {
    const session = this.sessions.get(id);
    if (!session) return this.sendHtml(response, 404, renderCheckoutPage({ kind: "missing", locale: "en" }));
    const state = (extra: Partial<CheckoutPageState> = {}): CheckoutPageState => ({
      kind: session.status === "open" ? "form" : session.status === "expired" ? "expired" : "paid",
      locale: session.locale ?? "en",
      sessionId: session.id,
      amount: session.amount_total,
      currency: session.currency,
      items: this.lineItems.get(session.id),
      email: session.customer_email,
      cancelUrl: session.cancel_url,
      ...extra,
    });
    if (method !== "POST" || !paying || session.status !== "open")
      return this.sendHtml(response, 200, renderCheckoutPage(state()));

    const form = new URLSearchParams(body);
    const digits = (form.get("cardNumber") ?? "").replace(/\D/g, "");
    const expiry = (form.get("expiry") ?? "").match(/^\s*(\d{1,2})\s*\/\s*(\d{2})\s*$/);
    const cvc = form.get("cvc") ?? "";
    const values = {
      cardNumber: form.get("cardNumber") ?? "",
      expiry: form.get("expiry") ?? "",
      cvc,
      name: form.get("name") ?? "",
    };
    const expiryValid =
      expiry &&
      Number(expiry[1]) >= 1 &&
      Number(expiry[1]) <= 12 &&
      new Date(2000 + Number(expiry[2]), Number(expiry[1])) > new Date();
    let error: CheckoutPageState["error"];
    if (!luhnValid(digits)) error = "incorrect_number";
    else if (!expiryValid) error = "invalid_expiry";
    else if (!/^\d{3,4}$/.test(cvc)) error = "invalid_cvc";
    else {
      const outcome = CARD_OUTCOMES[digits] ?? "succeeds";
      if (outcome !== "succeeds")
        error = outcome.decline_code === "insufficient_funds" ? "insufficient_funds" : "card_declined";
    }
    if (error) return this.sendHtml(response, 402, renderCheckoutPage(state({ error, values })));

    const intent: PaymentIntent = {
      id: newId("pi"),
      object: "payment_intent",
      amount: session.amount_total,
      amount_received: session.amount_total,
      currency: session.currency,
      status: "succeeded",
      metadata: session.metadata,
      created: nowSeconds(),
      livemode: false,
      latest_charge: newId("ch"),
    };
    this.paymentIntents.set(intent.id, intent);
    this.charges.set(intent.latest_charge, {
      id: intent.latest_charge,
      object: "charge",
      amount: intent.amount,
      amount_captured: intent.amount_received,
      amount_refunded: 0,
      captured: true,
      created: intent.created,
      currency: intent.currency,
      disputed: false,
      livemode: false,
      metadata: intent.metadata,
      paid: true,
      payment_intent: intent.id,
      refunded: false,
      status: "succeeded",
    });
    this.cardOfIntent.set(intent.id, digits);
    session.payment_intent = intent.id;
    session.payment_status = "paid";
    session.status = "complete";
    session.url = null;
    this.emit("checkout.session.completed", session);
    response.writeHead(303, { Location: session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id) });
    response.end();
  }

  private emit(type: string, object: Session | Refund | Charge | Dispute) {
    const event = {
      id: newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: nowSeconds(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    const delivery: DeliveredEvent = { id: event.id, type, attempts: 0, delivered: false };
    this.deliveries.push(delivery);
    void this.deliver(JSON.stringify(event), delivery, 0);
  }

  private async deliver(payload: string, delivery: DeliveredEvent, attempt: number): Promise<void> {
    delivery.attempts = attempt + 1;
    try {
      const signature = this.signer.webhooks.generateTestHeaderString({ payload, secret: this.options.webhookSecret });
      const response = await fetch(this.options.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: payload,
        signal: AbortSignal.timeout(20_000),
      });
      delivery.lastStatus = response.status;
      await response.arrayBuffer();
      if (response.ok) {
        delivery.delivered = true;
        return;
      }
    } catch (error) {
      this.options.log?.(
        `local-stripe: delivery of ${delivery.type} ${delivery.id} failed: ` +
          `${error instanceof Error ? error.message : error}`,
      );
    }
    const delays = this.options.retryDelaysMs ?? [1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000];
    if (attempt >= delays.length) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(payload, delivery, attempt + 1);
    }, delays[attempt]);
    timer.unref();
    this.timers.add(timer);
  }

  private send(response: ServerResponse, status: number, body: string) {
    response.writeHead(status, {
      "content-type": "application/json",
      "stripe-version": API_VERSION,
      "request-id": newId("req"),
    });
    response.end(body);
  }

  private sendJson(response: ServerResponse, status: number, value: unknown) {
    this.send(response, status, JSON.stringify(value));
  }

  private sendHtml(response: ServerResponse, status: number, html: string) {
    response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(html);
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}
