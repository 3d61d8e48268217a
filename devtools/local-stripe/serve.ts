// The local Stripe stand-in as a process of its own, for a test runner that cannot load it: Playwright's ESM loader
// refuses the checkout page's JSON catalogues (e2e/support/stripe-stand-in.ts). Prints its address as one JSON line,
// delivers its events to LOCAL_STRIPE_WEBHOOK_URL signed with LOCAL_STRIPE_WEBHOOK_SECRET, stops on SIGTERM.
import { LocalStripe } from "./server";

const webhookUrl = process.env.LOCAL_STRIPE_WEBHOOK_URL;
const webhookSecret = process.env.LOCAL_STRIPE_WEBHOOK_SECRET;
if (!webhookUrl || !webhookSecret) {
  console.error("LOCAL_STRIPE_WEBHOOK_URL and LOCAL_STRIPE_WEBHOOK_SECRET are required");
  process.exit(2);
}
const local = await new LocalStripe({ webhookUrl, webhookSecret, log: (line) => console.error(line) }).start();
process.on("SIGTERM", () => void local.stop().then(() => process.exit(0)));
console.log(JSON.stringify({ url: local.url }));
