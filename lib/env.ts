import { z } from "zod";
import { LOG_LEVELS } from "./log/levels";

// AES-256-GCM's key, as `openssl rand -base64 32` prints it: Next decrypts server actions' closures with it.
const serverActionsEncryptionKey = z
  .string()
  .refine((value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, "base64").length === 32, {
    error: "must be 32 bytes in base64 (openssl rand -base64 32)",
  });

// `<public key (JWK x)>@<YYYY-MM-DD>`, as npm run tickets:rotate-key prints it. Codes carry no key id: each key is
// tried in turn, so a few at most.
const PREVIOUS_TICKET_KEY = /^([A-Za-z0-9_-]{43})@(\d{4}-\d{2}-\d{2})$/;
const MAX_PREVIOUS_TICKET_KEYS = 3;
const previousTicketKeys = z.string().transform((text, context) => {
  const keys: { x: string; lastDay: string }[] = [];
  for (const entry of text.split(",").map((part) => part.trim())) {
    const [, x, lastDay] = PREVIOUS_TICKET_KEY.exec(entry) ?? [];
    const day = lastDay ? new Date(`${lastDay}T00:00:00Z`) : null;
    if (!x || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== lastDay) {
      context.addIssue({
        code: "custom",
        message: `"${entry}" is not <public key (JWK x)>@<YYYY-MM-DD>, as npm run tickets:rotate-key prints it`,
      });
      return z.NEVER;
    }
    keys.push({ x, lastDay });
  }
  if (keys.length > MAX_PREVIOUS_TICKET_KEYS) {
    context.addIssue({ code: "custom", message: `holds ${keys.length} keys: at most ${MAX_PREVIOUS_TICKET_KEYS}` });
    return z.NEVER;
  }
  return keys;
});

// Every host behind one balancer must decrypt what another encrypted; Next's own key is random per build, which a
// release built once and copied keeps, but not one built on each host or rebuilt. Local runs (http) need none.
const serverActionsKeyWhenHttps = {
  when: (settings: { APP_URL?: string; NEXT_SERVER_ACTIONS_ENCRYPTION_KEY?: string }) =>
    settings.APP_URL?.startsWith("https:") === true && settings.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY === undefined,
  issue: {
    path: ["NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"],
    error: "is required when APP_URL is https, the same at build and on every host (openssl rand -base64 32)",
  },
};

// Every setting the app reads, in one place; .env.example mirrors it line for line.
const envSchema = z
  .object({
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// connection URL" }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    // How long each instance keeps an edition's definition (types, prices, windows, questions) for registration;
    // an edit is seen at once by the instance that made it, by the others within this. 0: read every time.
    EDITION_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    APP_URL: z.url().default("http://localhost:3000"),
    // How often each instance looks for reserved blocks whose release date has come (lib/vouchers/allocations.ts).
    BLOCK_RELEASE_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
    // How often each instance lapses waiting-list offers past their deadline (lib/waitlist/sweep.ts).
    WAITLIST_SWEEP_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
    // A Checkout Session lasts 31 minutes (Stripe's minimum is 30); the hold must outlast it.
    HOLD_MINUTES: z.coerce
      .number()
      .int()
      .min(35, { error: "must be at least 35 (a checkout session lasts 31 minutes)" })
      .max(24 * 60)
      .default(35),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, { error: "must be a Stripe secret key (sk_test_… or sk_live_…)" })
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .startsWith("whsec_", { error: "must be a webhook signing secret (whsec_…)" })
      .optional(),
    // Ed25519 private key (PKCS#8 PEM or base64 DER) that signs ticket codes; npm start generates one
    // into .data/ when unset. Losing it invalidates every ticket issued with it.
    TICKET_SIGNING_KEY: z.string().min(40, { error: "must be an Ed25519 private key (PEM or base64 DER)" }).optional(),
    // The public parts of earlier signing keys, each still verifying the codes it signed until its day ends (UTC):
    // comma-separated `<JWK x>@<YYYY-MM-DD>`, as npm run tickets:rotate-key prints them with the new key.
    TICKET_PREVIOUS_KEYS: previousTicketKeys.optional(),
    // Where emails go, e.g. smtp://user:pass@smtp.example.org:587; npm start runs a local mail
    // catcher when unset. Without it no email is sent (they wait in the outbox).
    // Signs the back office's session cookies and sign-in links (next-auth); npm start generates one
    // into .data/ when unset. Changing it signs everyone out.
    AUTH_SECRET: z
      .string()
      .min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 32)" })
      .optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
    MAIL_FROM: z.string().min(3).default("Guichet <tickets@localhost>"),
    // Emails one instance sends at once, each over its own SMTP connection: a relay answering in 150 ms sends
    // about 7 a second per connection.
    SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(16).default(4),
    // A cap on the bulk emails (organisers' messages, reminders, certificates) one instance sends per second, for
    // a provider's quota; 0: no cap, the SMTP server's pace. Transactional emails are never held back by it.
    EMAIL_BULK_PER_SECOND: z.coerce.number().min(0).max(1000).default(0),
    // How often each instance looks for messages to send: scheduled ones due, dispatches to finish, reminders due.
    MESSAGE_SWEEP_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
    // Only for the local Stripe stand-in (npm start and tests); unset means api.stripe.com.
    STRIPE_API_URL: z.url().optional(),
    // How many proxies in front of the app append to X-Forwarded-For; 0: clients reach the app directly.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Registrations (form and API) one client may make per hour, and paid seats it may hold unpaid at
    // once per edition. Per network address: colleagues behind one office address share them.
    REGISTRATIONS_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(1).default(20),
    UNPAID_HOLDS_PER_CLIENT: z.coerce.number().int().min(1).default(5),
    // The proof-of-work challenge (ALTCHA) in front of registration; "off" only for tests and benchmarks.
    REGISTRATION_CHALLENGE: z.enum(["on", "off"]).default("on"),
    // Signs the challenges (HMAC); npm start generates one into .data/ when unset. Required when the
    // challenge is on.
    ALTCHA_HMAC_KEY: z
      .string()
      .min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 32)" })
      .optional(),
    // Signs places in an edition's waiting room (HMAC); the same on every instance. Unset: a key derived
    // from AUTH_SECRET, which every instance shares already.
    QUEUE_HMAC_KEY: z
      .string()
      .min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 32)" })
      .optional(),
    // Signs the links in emails that work without signing in (opt-out); the same on every instance. Unset: a key
    // derived from AUTH_SECRET, which every instance shares already.
    EMAIL_LINK_HMAC_KEY: z
      .string()
      .min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 32)" })
      .optional(),
    // Log lines below this level are not written (lib/log/logger.ts reads it at start).
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    // Names this instance in logs and /api/health; the systemd unit sets host:port. Unset: host and PORT.
    INSTANCE_ID: z.string().min(1).max(120).optional(),
    // Unset: /api/metrics answers 404. Set: Prometheus sends it as a bearer token.
    METRICS_TOKEN: z
      .string()
      .min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 32)" })
      .optional(),
    // How often each instance lapses unpaid holds and retries refunds; tests shorten it.
    HOLD_SWEEP_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
    // How often each instance sends the slow reminders (transfers, unnamed tickets); tests shorten it.
    SLOW_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(600),
    // After SIGTERM, how long /api/ready answers 503 before the server stops taking connections: the balancer's
    // probe must notice first.
    SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    // After SIGTERM, the process exits 1 whatever is left after this; the systemd unit's TimeoutStopSec is above it.
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(25),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: serverActionsEncryptionKey.optional(),
    // Tests only (e2e): a file holding an offset in milliseconds by which the sweeps' and the waiting list's clock
    // runs ahead of the wall clock (lib/time/clock.ts). Never set in production: unset, nothing reads a file.
    TEST_CLOCK_FILE: z.string().min(1).optional(),
  })
  .refine((settings) => settings.REGISTRATION_CHALLENGE === "off" || settings.ALTCHA_HMAC_KEY !== undefined, {
    path: ["ALTCHA_HMAC_KEY"],
    error: "is required while REGISTRATION_CHALLENGE is on (e.g. openssl rand -base64 32)",
  })
  .refine((settings) => !serverActionsKeyWhenHttps.when(settings), serverActionsKeyWhenHttps.issue)
  // A clock one can move is for test runs: an instance serving over https is a real one.
  .refine((settings) => settings.TEST_CLOCK_FILE === undefined || !settings.APP_URL.startsWith("https:"), {
    path: ["TEST_CLOCK_FILE"],
    error: "is for tests only: it cannot be set when APP_URL is https",
  });

export type Env = z.infer<typeof envSchema>;

let parsed: Env | undefined;

function parseWith<T>(schema: z.ZodType<T>, source: Record<string, string | undefined>): T {
  // An empty line in .env (`STRIPE_SECRET_KEY=`) means "not set", not "set to nothing".
  const result = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== "")));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  return result.data;
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseWith(envSchema, source);
}

/**
 * The one setting `next build` and `next start` check themselves (next.config.ts), before any page exists: the rest
 * is parsed on first use, and a build needs no database.
 */
export function checkServerActionsKey(source: Record<string, string | undefined>): void {
  const schema = z
    .object({
      APP_URL: z.string().optional(),
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: serverActionsEncryptionKey.optional(),
    })
    .refine((settings) => !serverActionsKeyWhenHttps.when(settings), serverActionsKeyWhenHttps.issue);
  parseWith(schema, source);
}

/** The validated environment, parsed on first use so `next build` does not need a database. */
export function env(): Env {
  parsed ??= parseEnv();
  return parsed;
}
