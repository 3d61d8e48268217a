import { NextResponse } from "next/server";
import { getTranslations } from "next-intl/server";
import { DEFENCE_REFUSAL_STATUS, guardApiRegistration } from "@/lib/abuse/public-callers";
import { DEFAULT_BODY_LIMIT, EdgeRefusal } from "@/lib/http/edge";
import { localeOr } from "@/lib/i18n/locales";
import { appNow } from "@/lib/time/clock";
import { joinWaitingList } from "@/lib/waitlist/join";
import { anyone, apiRoute, refusalOf } from "@/lib/web/api-route";

export const dynamic = "force-dynamic";

const STATUS_FOR_REFUSAL = { not_found: 404, waiting_list_closed: 409, ...DEFENCE_REFUSAL_STATUS } as const;

// The edition is the domain's to find (a draft or unknown one is its `not_found`), as for a registration.
const join = { auth: anyone, body: { maxBytes: DEFAULT_BODY_LIMIT } };

/**
 * Joins the waiting list (docs/api.md): 201 for a new entry, 200 when the address's live entry was updated. The
 * private link is never in the answer: it goes to the address, so only its owner holds it.
 */
export const POST = apiRoute(join, async ({ request, params, db, body }) => {
  const guard = await guardApiRegistration(request, body);
  const result = await joinWaitingList(db, String(params.slug), body, { now: appNow(), guard });
  if (result.ok) {
    const status = result.position === null ? "offered" : "waiting";
    return NextResponse.json(
      { status, position: result.position, seats: result.seats, emailed: result.emailed },
      { status: result.created ? 201 : 200 },
    );
  }
  if (result.reason !== "invalid") throw refusalOf(STATUS_FOR_REFUSAL, result.reason);
  const locale = localeOr((body as { locale?: unknown } | null)?.locale, "en");
  const t = await getTranslations({ locale, namespace: "fieldError" });
  const fieldErrors = Object.fromEntries(
    Object.entries(result.fieldErrors).map(([field, codes]) => [
      field,
      codes.map((code) => ({ code, message: t(code) })),
    ]),
  );
  throw new EdgeRefusal(422, "invalid", { fieldErrors });
});
