import { getTranslations } from "next-intl/server";

// The scanner installs as its own app, opening on the edition chooser.
export async function GET() {
  const t = await getTranslations("checkin");
  return Response.json(
    {
      name: t("appName"),
      short_name: t("shortName"),
      start_url: "/checkin",
      scope: "/checkin/",
      display: "standalone",
      orientation: "portrait",
      background_color: "#f5f6f8",
      theme_color: "#0b5cad",
      icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
    },
    { headers: { "content-type": "application/manifest+json" } },
  );
}
