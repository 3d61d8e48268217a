import { getTranslations } from "next-intl/server";
import { getGrowth } from "@/lib/reports/growth";
import { growthCsv } from "@/lib/exports/growth-csv";
import { apiRoute, session } from "@/lib/web/api-route";
import { download } from "@/lib/http/download";
import { currentLocale } from "@/lib/i18n/page-locale";

// GET ?part=summary|curves: the growth view's figures as CSV.
export const GET = apiRoute({ auth: session("editions:manage") }, async ({ request, db }) => {
  const part = request.nextUrl.searchParams.get("part") === "curves" ? "curves" : "summary";
  const t = await getTranslations("growth.csv");
  const body = growthCsv(await getGrowth(db), part, await currentLocale(), (key) => t(key));
  return download(body, { filename: `guichet-growth-${part}.csv`, contentType: "text/csv; charset=utf-8" });
});
