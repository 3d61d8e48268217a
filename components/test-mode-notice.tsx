import { getTranslations } from "next-intl/server";
import { paymentsInTestMode } from "@/lib/payments/stripe";

/** Said plainly on every page that leads to a payment while no real money can move. */
export async function TestModeNotice() {
  if (!paymentsInTestMode()) return null;
  const t = await getTranslations("payments");
  return <p className="test-mode">{t("testMode")}</p>;
}
