import { getLocale, getTranslations } from "next-intl/server";
import { routeActor } from "@/lib/auth/route-guard";
import { db } from "@/lib/db/prisma";
import { getGrowth } from "@/lib/reports/growth";
import { growthCsv } from "@/lib/exports/growth-csv";
import { edgeRoute } from "@/lib/http/edge";
import type { Locale } from "@/lib/i18n/locales";

// GET ?part=summary|curves: the growth view's figures as CSV.
export const GET = edgeRoute(async (request) => {
  const { denied } = await routeActor("editions:manage");
  if (denied) return denied;
  const part = request.nextUrl.searchParams.get("part") === "curves" ? "curves" : "summary";
  const locale = (await getLocale()) as Locale;
  const t = await getTranslations("growth.csv");
  const body = growthCsv(await getGrowth(db()), part, locale, (key) => t(key));
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="guichet-growth-${part}.csv"`,
      "cache-control": "no-store",
    },
  });
});
