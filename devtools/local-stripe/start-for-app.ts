import { randomBytes } from "node:crypto";
import { LocalStripe } from "./server";

/**
 * Without Stripe keys, `npm start` and `npm test` run the local stand-in and point the app at it
 * through the same three settings a real deployment uses.
 */
export async function startLocalStripeForApp(options: {
  appPort: number;
  port?: number;
  log?: (line: string) => void;
}) {
  const webhookSecret = `whsec_local_${randomBytes(16).toString("hex")}`;
  const local = await new LocalStripe({
    port: options.port,
    webhookUrl: `http://127.0.0.1:${options.appPort}/api/stripe/webhook`,
    webhookSecret,
    log: options.log,
  }).start();
  const env = {
    STRIPE_SECRET_KEY: "sk_test_local_guichet",
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: local.url,
  };
  return { local, env };
}
