import { getTranslations } from "next-intl/server";

export async function Availability({ seatsLeft }: { seatsLeft: number }) {
  const t = await getTranslations("availability");
  return (
    <span className={seatsLeft > 0 ? "badge badge-ok" : "badge badge-full"}>{t("left", { count: seatsLeft })}</span>
  );
}
