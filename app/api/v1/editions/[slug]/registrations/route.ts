import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { DEFENCE_REFUSAL_STATUS, guardApiRegistration, refusalDetails } from "@/lib/abuse/public-callers";
import { env } from "@/lib/env";
import { editionCache } from "@/lib/editions/edition-cache";
import { anyone, apiRoute, refusalOf } from "@/lib/web/api-route";
import { DEFAULT_BODY_LIMIT, EdgeRefusal } from "@/lib/http/edge";
import { absoluteUrl, orderPath, payPath, payQuotePath } from "@/lib/http/paths";
import { localeOr } from "@/lib/i18n/locales";
import { startCheckoutForOrder } from "@/lib/payments/checkout-for-order";
import { transferReferenceFor } from "@/lib/payments/transfer-reference";
import { QUEUE_TICKET_HEADER, queueHoldResponse } from "@/lib/queue/api-answer";
import { queueKey, queueState } from "@/lib/queue/app-queue";
import { registerInTurn } from "@/lib/queue/register-in-turn";

export const dynamic = "force-dynamic";

const STATUS_FOR_REFUSAL = {
  not_found: 404,
  sold_out: 409,
  already_registered: 409,
  edition_closed: 409,
  not_started: 409,
  ended: 409,
  // A code that prices nothing: unknown (or inactive) or not for the types asked is the request's fault; expired,
  // not yet valid or used up is the code's state, as sold out is the edition's.
  voucher_unknown: 422,
  voucher_not_for_type: 422,
  voucher_expired: 409,
  voucher_not_yet: 409,
  voucher_used_up: 409,
  // A waiting-list offer's token (`offer`) whose offer cannot take the order: the offer's state, as sold out is.
  offer_unavailable: 409,
  ...DEFENCE_REFUSAL_STATUS,
} as const;

// A client's key for one registration, so that a retry after a lost answer gets the same order back.
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

// The edition is the domain's to find (a draft or unknown one is its `not_found`), from this instance's
// cache: what could be stale is checked again where the seat is taken.
const registration = { auth: anyone, body: { maxBytes: DEFAULT_BODY_LIMIT } };

export const POST = apiRoute(registration, async ({ request, params, db, body }) => {
  const slug = String(params.slug);
  const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new EdgeRefusal(400, "invalid_idempotency_key");
  }
  const guard = await guardApiRegistration(request, body);
  // While the edition's queue is on, a caller without an admitted place gets one (202) and comes back with it.
  const state = await queueState(db, slug);
  const ticket = request.headers.get(QUEUE_TICKET_HEADER);
  const options = {
    holdMinutes: env().HOLD_MINUTES,
    guard,
    editions: editionCache(),
    idempotencyKey,
    key: state?.queue ? queueKey() : "",
    offer: offerOf(body),
  };
  const result = await registerInTurn(db, state, slug, body, ticket, options);
  if (!result.ok && result.reason === "queue") return queueHoldResponse(result.queue);
  if (result.ok) {
    const { order } = result;
    // A paid ticket's seat is held: hand back where to pay (null if Stripe cannot be reached now), or for a transfer
    // the quote, the reference to quote and the page to forward to whoever pays.
    const byTransfer = order.paymentMethod === "TRANSFER" && order.payToken;
    const checkout = order.status === "PENDING" && !byTransfer ? await startCheckoutForOrder(order.id) : null;
    const app = env().APP_URL;
    return NextResponse.json(
      {
        orderId: order.id,
        reference: order.reference,
        status: order.status.toLowerCase(),
        amountCents: order.amountCents,
        currency: order.currency,
        holdExpiresAt: order.holdExpiresAt?.toISOString() ?? null,
        confirmationUrl: absoluteUrl(app, orderPath(order.locale, order.accessToken)),
        checkoutUrl: checkout?.ok ? checkout.url : null,
        paymentMethod: order.paymentMethod.toLowerCase(),
        transfer: byTransfer
          ? {
              deadline: order.holdExpiresAt?.toISOString() ?? null,
              reference: transferReferenceFor(order.reference),
              quoteUrl: absoluteUrl(app, payQuotePath(order.locale, byTransfer)),
              paymentPageUrl: absoluteUrl(app, payPath(order.locale, byTransfer)),
            }
          : null,
        tickets: order.tickets,
      },
      { status: result.replayed ? 200 : 201 },
    );
  }
  if (result.reason === "sold_out") {
    throw refusalOf(STATUS_FOR_REFUSAL, result.reason, { left: result.left, ticketTypes: result.leftByCode });
  }
  // Why, as `reason`: a problem's `detail` is a sentence for people (RFC 9457), this a code for programs.
  if (result.reason === "offer_unavailable")
    throw refusalOf(STATUS_FOR_REFUSAL, result.reason, { reason: result.detail });
  if (result.reason === "already_registered") {
    const details = { ...refusalDetails(result.reason, slug, localeOf(body)), positions: result.positions };
    throw refusalOf(STATUS_FOR_REFUSAL, result.reason, details);
  }
  if (result.reason !== "invalid") {
    throw refusalOf(STATUS_FOR_REFUSAL, result.reason, refusalDetails(result.reason, slug, localeOf(body)));
  }

  const t = await getTranslations({ locale: localeOf(body), namespace: "fieldError" });
  const fieldErrors = Object.fromEntries(
    Object.entries(result.fieldErrors).map(([field, codes]) => [
      field,
      codes.map((code) => ({ code, message: t(code) })),
    ]),
  );
  throw new EdgeRefusal(422, "invalid", { fieldErrors });
});

// Any other value than a string names no offer: the registration is then refused as the offer's closed one.
const offerOf = (body: unknown) => {
  const offer = (body as { offer?: unknown } | null)?.offer;
  return offer === undefined || offer === null ? undefined : typeof offer === "string" ? offer : "";
};

const localeOf = (body: unknown) => localeOr((body as { locale?: unknown } | null)?.locale, "en");
